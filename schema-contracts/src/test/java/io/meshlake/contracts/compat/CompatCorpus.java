package io.meshlake.contracts.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The compatibility corpus ({@code src/test/resources/compat-corpus}) as test data, readable from
 * this module's tests and, through the schema-contracts test-jar, from other modules' tests (the
 * schema registry runs every case through its compatibility endpoint). Works whether the resources
 * are a directory or inside a jar.
 */
public final class CompatCorpus {

  /** The classpath directory of the corpus. */
  public static final String RESOURCE_ROOT = "compat-corpus";

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * One case.
   *
   * @param mainFile the file a registry registers as the subject; the others are its references
   * @param beforeFiles the raw files of {@code before/} (.proto and manifests), by relative path
   * @param afterFiles the raw files of {@code after/}
   */
  public record Case(
      String name,
      String description,
      String mainFile,
      ProtoSchemaSet before,
      ProtoSchemaSet after,
      ManifestSet beforeManifests,
      ManifestSet afterManifests,
      boolean expectedCompatible,
      Set<CompatibilityRule> expectedRules,
      Map<String, String> beforeFiles,
      Map<String, String> afterFiles) {

    @Override
    public String toString() {
      return name; // parameterized test display names
    }
  }

  /** Loaded once per JVM: cases are immutable, and linking ~140 schema sets is not free. */
  private static volatile List<Case> cached;

  private CompatCorpus() {}

  /** Every case, sorted by name. */
  public static List<Case> cases() {
    List<Case> cases = cached;
    if (cases == null) {
      synchronized (CompatCorpus.class) {
        if (cached == null) {
          cached = loadAll();
        }
        cases = cached;
      }
    }
    return cases;
  }

  private static List<Case> loadAll() {
    URL marker = CompatCorpus.class.getClassLoader().getResource(RESOURCE_ROOT + "/README.md");
    if (marker == null) {
      throw new IllegalStateException(RESOURCE_ROOT + "/README.md is not on the classpath; add the schema-contracts test-jar");
    }
    try {
      URI uri = marker.toURI();
      if ("jar".equals(uri.getScheme())) {
        try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
          return load(jar.getPath("/" + RESOURCE_ROOT));
        } catch (FileSystemAlreadyExistsException e) {
          // Someone else opened the jar; reading through their file system is fine, closing it is not.
          return load(FileSystems.getFileSystem(uri).getPath("/" + RESOURCE_ROOT));
        }
      }
      return load(Path.of(uri).getParent());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad corpus location " + marker, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the corpus at " + marker, e);
    }
  }

  /** The case called {@code name}. */
  public static Case named(String name) {
    return cases().stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no corpus case " + name));
  }

  private static List<Case> load(Path root) throws IOException {
    List<Case> cases = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        cases.add(loadCase(dir));
      }
    }
    return Collections.unmodifiableList(cases);
  }

  private static Case loadCase(Path dir) throws IOException {
    String name = dir.getFileName().toString().replace("/", "");
    JsonNode expected = YAML.readTree(Files.readString(dir.resolve("expected.yaml"), StandardCharsets.UTF_8));
    if (expected == null || !expected.has("compatible") || !expected.has("rules")) {
      throw new IllegalStateException(name + "/expected.yaml needs 'compatible' and 'rules'");
    }
    Set<CompatibilityRule> rules = EnumSet.noneOf(CompatibilityRule.class);
    expected.get("rules").forEach(rule -> rules.add(CompatibilityRule.valueOf(rule.asText())));
    Map<String, String> before = readTree(dir.resolve("before"));
    Map<String, String> after = readTree(dir.resolve("after"));
    return new Case(
        name,
        expected.path("description").asText(""),
        expected.path("main").asText("main.proto"),
        ProtoSchemaSet.of(filter(before, ".proto")),
        ProtoSchemaSet.of(filter(after, ".proto")),
        ManifestSet.of(filter(before, ManifestSet.MANIFEST_SUFFIX)),
        ManifestSet.of(filter(after, ManifestSet.MANIFEST_SUFFIX)),
        expected.get("compatible").asBoolean(),
        Collections.unmodifiableSet(rules),
        before,
        after);
  }

  private static Map<String, String> readTree(Path side) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.isDirectory(side)) {
      throw new IllegalStateException("missing corpus directory " + side);
    }
    try (Stream<Path> walk = Files.walk(side)) {
      for (Path file : walk.filter(Files::isRegularFile).toList()) {
        // Join the name elements with '/', whatever the file system's separator.
        List<String> parts = new ArrayList<>();
        side.relativize(file).forEach(p -> parts.add(p.toString().replace("/", "")));
        files.put(String.join("/", parts), Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return Collections.unmodifiableMap(files);
  }

  private static Map<String, String> filter(Map<String, String> files, String suffix) {
    Map<String, String> matching = new TreeMap<>();
    files.forEach((path, text) -> {
      if (path.endsWith(suffix)) {
        matching.put(path, text);
      }
    });
    return matching;
  }
}
