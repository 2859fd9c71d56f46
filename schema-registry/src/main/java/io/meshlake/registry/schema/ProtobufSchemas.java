package io.meshlake.registry.schema;

import io.meshlake.contracts.compat.BreakingChange;
import io.meshlake.contracts.compat.CompatibilityChecker;
import io.meshlake.contracts.compat.InvalidSchemaException;
import io.meshlake.contracts.compat.ProtoSchemaSet;
import io.meshlake.registry.RegistryException;
import io.meshlake.registry.SchemaReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry's only contact with protobuf: parsing and linking through schema-contracts'
 * {@link ProtoSchemaSet} (well-known types built in) and comparing with its
 * {@link CompatibilityChecker}. Nothing here parses .proto text itself.
 */
public final class ProtobufSchemas {

  /**
   * The import path the schema being registered gets inside its {@link ProtoSchemaSet}: in Confluent's
   * model the subject's schema is the main file, and its imports are other subjects' files.
   */
  public static final String MAIN_FILE = "main.proto";

  /** A parsed, linked schema: its main file plus every file it imports, transitively. */
  public record Parsed(ProtoSchemaSet files, String mainFile, String canonical, String fingerprint) {}

  private final CompatibilityChecker checker = new CompatibilityChecker();
  /** Parsing and linking cost milliseconds; compatibility checks re-read the same earlier versions. */
  private final Map<Map<String, String>, ProtoSchemaSet> cache =
      Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Map<String, String>, ProtoSchemaSet> eldest) {
          return size() > 512;
        }
      });

  /**
   * Parses {@code schema} with its imports ({@code imports}: import path → text, already resolved
   * from {@code references}).
   *
   * @throws RegistryException 42201 naming the file and line of a syntax error or unresolved import
   */
  public Parsed parse(String schema, List<SchemaReference> references, Map<String, String> imports) {
    String mainFile = mainFile(imports);
    Map<String, String> files = new TreeMap<>(imports);
    files.put(mainFile, schema);
    Map<String, String> key = Collections.unmodifiableMap(files);
    try {
      ProtoSchemaSet set = cache.get(key);
      if (set == null) {
        set = ProtoSchemaSet.of(files);
        cache.put(key, set);
      }
      String canonical = set.canonicalForm(mainFile);
      return new Parsed(set, mainFile, canonical, fingerprint(canonical, references));
    } catch (InvalidSchemaException e) {
      String message = e.getMessage();
      if (message != null && message.contains("is not in the schema set")) {
        message += "; every import other than google/protobuf/* needs an entry in \"references\""
            + " naming the subject and version where that file is registered";
      }
      throw RegistryException.invalidSchema("Invalid schema: " + message);
    }
  }

  /**
   * The breaking changes from {@code previous} to {@code next}, over each side's whole set: the main
   * file and every file it imports. A consumer resolves a subject's schema with all its imports, so
   * a breaking change in an imported file, or an import that is gone (FILE_REMOVED), breaks this
   * subject too, exactly as the checker judges a set of contracts.
   */
  public List<BreakingChange> breakingChanges(Parsed previous, Parsed next) {
    return checker.check(previous.files(), next.files()).breakingChanges();
  }

  /**
   * Identifies a schema for "same schema, same id": its canonical text (comments and layout do not
   * count) and its references (the same text importing other versions is another schema).
   */
  static String fingerprint(String canonical, List<SchemaReference> references) {
    StringBuilder text = new StringBuilder("PROTOBUF\n").append(canonical).append("\n");
    references.stream()
        .sorted(Comparator.comparing(SchemaReference::name))
        .forEach(ref -> text.append("ref\t").append(ref.name()).append('\t').append(ref.subject())
            .append('\t').append(ref.version()).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  /** {@link #MAIN_FILE}, unless an import already uses that path. */
  private static String mainFile(Map<String, String> imports) {
    String name = MAIN_FILE;
    for (int i = 1; imports.containsKey(name); i++) {
      name = "main_" + i + ".proto";
    }
    return name;
  }
}
