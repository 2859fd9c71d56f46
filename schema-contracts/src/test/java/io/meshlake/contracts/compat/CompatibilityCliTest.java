package io.meshlake.contracts.compat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the CLI in-process through {@link CompatibilityCli#run}, which returns the exit code. */
class CompatibilityCliTest {

  private record Result(int exitCode, String out, String err) {
    List<String> outLines() {
      return out.lines().toList();
    }
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = CompatibilityCli.run(
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Path corpus(String caseName, String side) {
    try {
      return Path.of(CompatCorpus.class.getClassLoader().getResource("compat-corpus/" + caseName + "/" + side).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Result runCase(String caseName) {
    return run("--baseline", corpus(caseName, "before").toString(), "--current", corpus(caseName, "after").toString());
  }

  @Test
  void compatibleChangeExitsZero() {
    Result result = runCase("field-added");

    assertThat(result.exitCode()).isEqualTo(CompatibilityCli.COMPATIBLE).isZero();
    assertThat(result.out()).startsWith("compatible: ").contains("1 .proto files");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void breakingChangesExitOneWithOneLinePerChange() {
    Result result = runCase("many-breaking-changes");

    assertThat(result.exitCode()).isEqualTo(CompatibilityCli.BREAKING).isEqualTo(1);
    assertThat(result.outLines()).hasSize(5);
    assertThat(result.outLines().subList(0, 4))
        .allSatisfy(line -> assertThat(line).matches("[A-Z_]+ main\\.proto: .+"))
        .anySatisfy(line -> assertThat(line).isEqualTo(
            "FIELD_TYPE_CHANGED main.proto: message meshlake.jira.v1.JiraIssue field 3 'status': type changed from IssueStatus to string"));
    assertThat(result.outLines().get(4)).startsWith("4 breaking change(s): ");
  }

  @Test
  void manifestRulesAreCheckedFromTheSameDirectories() {
    Result result = runCase("entity-type-changed");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.out()).contains("ENTITY_TYPE_CHANGED main.manifest.yaml: entity meshlake.jira.v1.JiraIssue: entity_type changed from 1 to 5");
  }

  @Test
  void invalidProtoExitsTwoNamingFileAndLine(@TempDir Path dir) throws Exception {
    Path current = Files.createDirectories(dir.resolve("current/acme"));
    Files.writeString(current.resolve("a.proto"), "syntax = \"proto3\";\nmessage A {\n  string id = ;\n}\n");

    Result result = run("--baseline", corpus("field-added", "before").toString(), "--current", dir.resolve("current").toString());

    assertThat(result.exitCode()).isEqualTo(CompatibilityCli.INVALID_INPUT).isEqualTo(2);
    assertThat(result.err()).contains("invalid input: current ").contains("acme/a.proto:3:").contains("syntax error");
    assertThat(result.out()).isEmpty();
  }

  @Test
  void missingDirectoryExitsTwo(@TempDir Path dir) {
    Result result = run("--baseline", dir.resolve("nope").toString(), "--current", dir.toString());

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("not a directory");
  }

  @Test
  void missingArgumentExitsTwoWithUsage() {
    Result result = run("--baseline", "x");

    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.err()).contains("Missing required option").contains("--current");
  }

  @Test
  void releasedBaselineAgainstItselfIsCompatible() {
    Path baseline = Path.of(System.getProperty("basedir", ".")).resolve("baseline");

    Result result = run("--baseline", baseline.toString(), "--current", baseline.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("5 manifests");
  }
}
