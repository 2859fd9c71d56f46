package io.meshlake.contracts.compat;

import com.squareup.wire.schema.CoreLoader;
import com.squareup.wire.schema.CoreLoaderKt;
import com.squareup.wire.schema.ErrorCollector;
import com.squareup.wire.schema.Linker;
import com.squareup.wire.schema.Loader;
import com.squareup.wire.schema.Location;
import com.squareup.wire.schema.ProtoFile;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.SchemaException;
import com.squareup.wire.schema.internal.parser.MessageElement;
import com.squareup.wire.schema.internal.parser.ProtoFileElement;
import com.squareup.wire.schema.internal.parser.ProtoParser;
import com.squareup.wire.schema.internal.parser.TypeElement;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * An immutable, fully linked set of .proto files, keyed by import path (for example
 * {@code meshlake/jira/v1/issue.proto}).
 *
 * <p>Construction parses every file with Wire's parser and links the set: imports must name a file
 * of the set or one of the {@link #WELL_KNOWN_TYPES}, every type reference must resolve, and field
 * numbers must be unique per message. Anything else throws {@link InvalidSchemaException} naming the
 * file and line, so a checker never compares half-understood schemas.
 */
public final class ProtoSchemaSet {

  /**
   * The {@code google/protobuf} files any set may import without containing them. They are read
   * from Wire's and protobuf-java's jars.
   */
  public static final SortedSet<String> WELL_KNOWN_TYPES =
      Collections.unmodifiableSortedSet(
          new java.util.TreeSet<>(
              List.of(
                  "google/protobuf/any.proto",
                  "google/protobuf/api.proto",
                  "google/protobuf/descriptor.proto",
                  "google/protobuf/duration.proto",
                  "google/protobuf/empty.proto",
                  "google/protobuf/field_mask.proto",
                  "google/protobuf/source_context.proto",
                  "google/protobuf/struct.proto",
                  "google/protobuf/timestamp.proto",
                  "google/protobuf/type.proto",
                  "google/protobuf/wrappers.proto")));

  /** Parsed well-known files that Wire does not bundle; elements are immutable, so cache them. */
  private static final Map<String, ProtoFileElement> BUNDLED_WELL_KNOWN = new ConcurrentHashMap<>();

  private static final Pattern WIRE_SYNTAX_ERROR =
      Pattern.compile("Syntax error in (.+?):(\\d+):(\\d+): (.*)", Pattern.DOTALL);
  private static final Pattern WIRE_LOCATION = Pattern.compile("\\(([^()\\s]+\\.proto):(\\d+):(\\d+)\\)");

  /** A message of a file and its nested messages, in declaration order. */
  public record MessageNode(String fullName, String simpleName, List<MessageNode> nested) {
    public MessageNode {
      Objects.requireNonNull(fullName, "fullName");
      Objects.requireNonNull(simpleName, "simpleName");
      nested = List.copyOf(nested);
    }
  }

  private final SortedMap<String, String> texts;
  private final Map<String, ProtoFileElement> elements;
  private final Map<String, List<MessageNode>> messages;
  private final Schema schema;

  private ProtoSchemaSet(SortedMap<String, String> texts) {
    this.texts = Collections.unmodifiableSortedMap(texts);
    this.elements = parseAll(texts);
    checkImports(texts, elements);
    this.schema = link(elements);
    Map<String, List<MessageNode>> byFile = new LinkedHashMap<>();
    elements.forEach((file, element) -> byFile.put(file, messageTree(element)));
    this.messages = Collections.unmodifiableMap(byFile);
  }

  /** A set of the given files, keyed by import path (forward slashes, relative, ending in .proto). */
  public static ProtoSchemaSet of(Map<String, String> files) {
    Objects.requireNonNull(files, "files");
    SortedMap<String, String> copy = new TreeMap<>();
    files.forEach(
        (path, text) -> {
          checkImportPath(path);
          copy.put(path, Objects.requireNonNull(text, () -> "no text for " + path));
        });
    return new ProtoSchemaSet(copy);
  }

  /** An empty set: every file of another set is an addition relative to it. */
  public static ProtoSchemaSet empty() {
    return new ProtoSchemaSet(new TreeMap<>());
  }

  /**
   * Every {@code *.proto} under {@code root}, keyed by its path relative to {@code root}; other files
   * (manifests, catalogs) are ignored.
   */
  public static ProtoSchemaSet fromDirectory(Path root) {
    if (!Files.isDirectory(root)) {
      throw new InvalidSchemaException(null, -1, "not a directory of .proto files: " + root);
    }
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.filter(p -> p.toString().endsWith(".proto")).filter(Files::isRegularFile).toList()) {
        String importPath = root.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
        files.put(importPath, Files.readString(path, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read .proto files under " + root, e);
    }
    return of(files);
  }

  /**
   * The canonical text of one .proto file: Wire's formatting of its parse, without comments. Two
   * texts that differ only in whitespace, comments or layout have the same canonical form; the
   * registry uses this to recognise a re-registration of the same schema. Needs no imports.
   */
  public static String canonicalize(String protoText) {
    String withoutComments = stripComments(protoText);
    ProtoFileElement element = parse("canonical.proto", withoutComments);
    String schemaText = element.toSchema();
    // toSchema() starts with a "formatted by Wire" banner and the source path; the path must not
    // matter, and comments were stripped, so every leading comment line is that banner.
    List<String> lines = new ArrayList<>(schemaText.lines().toList());
    while (!lines.isEmpty() && (lines.get(0).startsWith("//") || lines.get(0).isBlank())) {
      lines.remove(0);
    }
    return String.join("\n", lines) + "\n";
  }

  /** The import paths of the files of this set, sorted. */
  public SortedSet<String> files() {
    return Collections.unmodifiableSortedSet(new java.util.TreeSet<>(texts.keySet()));
  }

  public boolean contains(String file) {
    return texts.containsKey(file);
  }

  /** The text of {@code file} exactly as given. */
  public String text(String file) {
    return texts.get(requireFile(file));
  }

  /** The canonical form of {@code file} (see {@link #canonicalize(String)}). */
  public String canonicalForm(String file) {
    return canonicalize(text(file));
  }

  /** The package of {@code file}, or the empty string when it declares none. */
  public String packageName(String file) {
    String pkg = elements.get(requireFile(file)).getPackageName();
    return pkg == null ? "" : pkg;
  }

  /** "proto2" or "proto3" (a file without a syntax statement is proto2). */
  public String syntax(String file) {
    var syntax = elements.get(requireFile(file)).getSyntax();
    return syntax == null ? "proto2" : syntax.toString();
  }

  /** Wire's parse of {@code file} (immutable). */
  public ProtoFileElement element(String file) {
    return elements.get(requireFile(file));
  }

  /** Wire's linked schema of the whole set, including the well-known types it uses. */
  public Schema schema() {
    return schema;
  }

  /** Wire's linked view of {@code file}: resolved field types, oneofs, nested types. */
  public ProtoFile protoFile(String file) {
    requireFile(file);
    ProtoFile protoFile = schema.protoFile(file);
    if (protoFile == null) {
      throw new IllegalStateException("linked schema lost " + file);
    }
    return protoFile;
  }

  /** The top-level messages of {@code file} with their nested messages, in declaration order. */
  public List<MessageNode> messages(String file) {
    return messages.get(requireFile(file));
  }

  /** The file of this set that declares the (fully-qualified) message or enum, if any. */
  public Optional<String> fileDeclaring(String fullTypeName) {
    for (String file : texts.keySet()) {
      ProtoFile protoFile = schema.protoFile(file);
      if (protoFile != null
          && protoFile.typesAndNestedTypes().stream().anyMatch(t -> t.getType().toString().equals(fullTypeName))) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  /**
   * The Confluent message indexes of a message: its position among the messages of its parent, from
   * the top-level message down. Only messages count (enums and synthetic map-entry messages do not),
   * as in Confluent's serde. Example: the first message nested in the second top-level message is
   * {@code [1, 0]}.
   *
   * @throws IllegalArgumentException when {@code file} does not declare {@code fullMessageName}
   */
  public List<Integer> messageIndexes(String file, String fullMessageName) {
    List<Integer> path = new ArrayList<>();
    if (!findPath(messages(file), fullMessageName, path)) {
      throw new IllegalArgumentException(
          file + " declares no message " + fullMessageName + "; its messages are " + allMessageNames(file));
    }
    return List.copyOf(path);
  }

  /**
   * The fully-qualified name of the message at {@code indexes} in {@code file}; the reverse of
   * {@link #messageIndexes}.
   *
   * @throws IllegalArgumentException when the indexes are empty or point past a list of messages
   */
  public String messageName(String file, List<Integer> indexes) {
    if (indexes.isEmpty()) {
      // Confluent's one-byte "0" framing means [0]; expanding it is the framing code's job.
      throw new IllegalArgumentException("message indexes must not be empty");
    }
    List<MessageNode> level = messages(file);
    MessageNode node = null;
    for (int depth = 0; depth < indexes.size(); depth++) {
      int index = indexes.get(depth);
      if (index < 0 || index >= level.size()) {
        throw new IllegalArgumentException(
            "message indexes " + indexes + " do not exist in " + file + ": level " + depth + " has "
                + level.size() + " message(s)");
      }
      node = level.get(index);
      level = node.nested();
    }
    return node.fullName();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ProtoSchemaSet other && texts.equals(other.texts);
  }

  @Override
  public int hashCode() {
    return texts.hashCode();
  }

  @Override
  public String toString() {
    return "ProtoSchemaSet" + texts.keySet();
  }

  private String requireFile(String file) {
    if (!texts.containsKey(file)) {
      throw new IllegalArgumentException("no file " + file + " in this set; it has " + texts.keySet());
    }
    return file;
  }

  private List<String> allMessageNames(String file) {
    List<String> names = new ArrayList<>();
    collectNames(messages(file), names);
    return names;
  }

  private static void collectNames(List<MessageNode> nodes, List<String> into) {
    for (MessageNode node : nodes) {
      into.add(node.fullName());
      collectNames(node.nested(), into);
    }
  }

  private static boolean findPath(List<MessageNode> nodes, String fullName, List<Integer> path) {
    for (int i = 0; i < nodes.size(); i++) {
      MessageNode node = nodes.get(i);
      path.add(i);
      if (node.fullName().equals(fullName) || findPath(node.nested(), fullName, path)) {
        return true;
      }
      path.remove(path.size() - 1);
    }
    return false;
  }

  private static List<MessageNode> messageTree(ProtoFileElement element) {
    String pkg = element.getPackageName();
    return messageNodes(pkg == null || pkg.isEmpty() ? "" : pkg + ".", element.getTypes());
  }

  private static List<MessageNode> messageNodes(String prefix, List<TypeElement> types) {
    List<MessageNode> nodes = new ArrayList<>();
    for (TypeElement type : types) {
      if (type instanceof MessageElement message) {
        String fullName = prefix + message.getName();
        nodes.add(new MessageNode(fullName, message.getName(), messageNodes(fullName + ".", message.getNestedTypes())));
      }
    }
    return nodes;
  }

  private static void checkImportPath(String path) {
    if (path == null
        || !path.endsWith(".proto")
        || path.startsWith("/")
        || path.contains("\\")
        || Stream.of(path.split("/")).anyMatch(s -> s.isEmpty() || s.equals(".") || s.equals(".."))) {
      throw new InvalidSchemaException(
          path, -1, "invalid import path '" + path + "': expected a relative path like meshlake/jira/v1/issue.proto");
    }
  }

  private static Map<String, ProtoFileElement> parseAll(SortedMap<String, String> texts) {
    Map<String, ProtoFileElement> parsed = new LinkedHashMap<>();
    List<InvalidSchemaException> problems = new ArrayList<>();
    texts.forEach(
        (path, text) -> {
          try {
            parsed.put(path, parse(path, text));
          } catch (InvalidSchemaException e) {
            problems.add(e);
          }
        });
    throwIfAny(problems);
    return Collections.unmodifiableMap(parsed);
  }

  private static ProtoFileElement parse(String path, String text) {
    try {
      return ProtoParser.Companion.parse(Location.get(path), text);
    } catch (IllegalStateException | IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      Matcher m = WIRE_SYNTAX_ERROR.matcher(message);
      if (m.matches()) {
        int line = Integer.parseInt(m.group(2));
        throw new InvalidSchemaException(
            path, line, path + ":" + line + ":" + m.group(3) + ": syntax error: " + m.group(4), e);
      }
      throw new InvalidSchemaException(path, -1, path + ": cannot parse: " + message, e);
    }
  }

  /** Reports every import that is neither in the set nor a well-known type, with its line. */
  private static void checkImports(SortedMap<String, String> texts, Map<String, ProtoFileElement> elements) {
    List<InvalidSchemaException> problems = new ArrayList<>();
    elements.forEach(
        (path, element) -> {
          List<String> imports = new ArrayList<>(element.getImports());
          imports.addAll(element.getPublicImports());
          imports.addAll(element.getWeakImports());
          for (String imported : imports) {
            if (!texts.containsKey(imported) && !WELL_KNOWN_TYPES.contains(imported)) {
              int line = lineOf(texts.get(path), "\"" + imported + "\"");
              problems.add(
                  new InvalidSchemaException(
                      path,
                      line,
                      path + (line > 0 ? ":" + line : "") + ": import \"" + imported
                          + "\" is not in the schema set (and is not a google/protobuf well-known type)"));
            }
          }
        });
    throwIfAny(problems);
  }

  private static Schema link(Map<String, ProtoFileElement> elements) {
    List<ProtoFile> sources = new ArrayList<>();
    elements.values().forEach(element -> sources.add(ProtoFile.Companion.get(element)));
    // Package cycles are legal protobuf (protoc only forbids import cycles, which Wire still checks).
    Linker linker = new Linker(new WellKnownTypesLoader(), new ErrorCollector(), true, true);
    try {
      return linker.link(sources);
    } catch (SchemaException e) {
      String message = String.valueOf(e.getMessage());
      Matcher m = WIRE_LOCATION.matcher(message);
      String file = m.find() ? m.group(1) : null;
      int line = file != null ? Integer.parseInt(m.group(2)) : -1;
      throw new InvalidSchemaException(file, line, "invalid schema set:\n" + message, e);
    } catch (RuntimeException e) {
      throw new InvalidSchemaException(null, -1, "cannot link schema set: " + e.getMessage(), e);
    }
  }

  private static int lineOf(String text, String needle) {
    List<String> lines = text.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("import") && lines.get(i).contains(needle)) {
        return i + 1;
      }
    }
    return -1;
  }

  private static void throwIfAny(List<InvalidSchemaException> problems) {
    if (problems.isEmpty()) {
      return;
    }
    if (problems.size() == 1) {
      throw problems.get(0);
    }
    InvalidSchemaException first = problems.get(0);
    String all = problems.stream().map(Throwable::getMessage).collect(Collectors.joining("\n"));
    throw new InvalidSchemaException(first.file(), first.line(), all, first);
  }

  /** Removes // and /* comments (outside string literals), keeping line breaks. */
  static String stripComments(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    int n = text.length();
    char quote = 0;
    while (i < n) {
      char c = text.charAt(i);
      char next = i + 1 < n ? text.charAt(i + 1) : 0;
      if (quote != 0) {
        out.append(c);
        if (c == '\\' && i + 1 < n) {
          out.append(next);
          i += 2;
          continue;
        }
        if (c == quote) {
          quote = 0;
        }
        i++;
      } else if (c == '"' || c == '\'') {
        quote = c;
        out.append(c);
        i++;
      } else if (c == '/' && next == '/') {
        while (i < n && text.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '/' && next == '*') {
        i += 2;
        while (i < n && !(text.charAt(i) == '*' && i + 1 < n && text.charAt(i + 1) == '/')) {
          if (text.charAt(i) == '\n') {
            out.append('\n');
          }
          i++;
        }
        i += 2;
        out.append(' ');
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /**
   * Serves the imports that are not files of the set: Wire's bundled runtime protos, and the
   * remaining well-known types from protobuf-java's jar. Files of the set never reach it, because
   * the linker already holds them as sources.
   */
  private static final class WellKnownTypesLoader implements Loader {
    private ErrorCollector errors = new ErrorCollector();

    @Override
    public ProtoFile load(String path) {
      if (CoreLoaderKt.isWireRuntimeProto(path)) {
        return CoreLoader.INSTANCE.load(path);
      }
      if (WELL_KNOWN_TYPES.contains(path)) {
        return ProtoFile.Companion.get(BUNDLED_WELL_KNOWN.computeIfAbsent(path, WellKnownTypesLoader::readBundled));
      }
      // checkImports rejects unknown imports before linking, so this is a safety net.
      errors.plusAssign("unable to find " + path);
      return ProtoFile.Companion.get(ProtoFileElement.empty(path));
    }

    @Override
    public Loader withErrors(ErrorCollector errors) {
      this.errors = errors;
      return this;
    }

    private static ProtoFileElement readBundled(String path) {
      try (InputStream in = ProtoSchemaSet.class.getClassLoader().getResourceAsStream(path)) {
        if (in == null) {
          throw new IllegalStateException(path + " is not on the classpath (protobuf-java ships it)");
        }
        return ProtoParser.Companion.parse(Location.get(path), new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path + " from the classpath", e);
      }
    }
  }
}
