package io.meshlake.contracts.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Checks the details the corpus does not pin down: exact wording, counts, and the type matrix. */
class CompatibilityCheckerTest {

  /** The committed baseline: a fixed copy of real contracts that other work does not edit. */
  private static final Path CONTRACTS = Path.of(System.getProperty("basedir", ".")).resolve("baseline");
  private static final String ISSUE = "meshlake/jira/v1/issue.proto";

  private final CompatibilityChecker checker = new CompatibilityChecker();

  private static Map<String, String> released() {
    ProtoSchemaSet set = ProtoSchemaSet.fromDirectory(CONTRACTS);
    Map<String, String> files = new TreeMap<>();
    set.files().forEach(f -> files.put(f, set.text(f)));
    return files;
  }

  private static ProtoSchemaSet withIssue(Map<String, String> files, String from, String to) {
    Map<String, String> copy = new TreeMap<>(files);
    String text = copy.get(ISSUE);
    assertThat(text).contains(from);
    copy.put(ISSUE, text.replace(from, to));
    return ProtoSchemaSet.of(copy);
  }

  private static ProtoSchemaSet single(String body) {
    return ProtoSchemaSet.of(Map.of("main.proto", "syntax = \"proto3\";\npackage acme.v1;\n" + body));
  }

  @Test
  void typeChangeNamesFileMessageFieldAndBothTypes() {
    Map<String, String> files = released();
    ProtoSchemaSet previous = ProtoSchemaSet.of(files);
    ProtoSchemaSet next = withIssue(files, "IssueStatus status = 5;", "string status = 5;");

    CompatibilityReport report = checker.check(previous, next);

    assertThat(report.isCompatible()).isFalse();
    assertThat(report.breakingChanges())
        .singleElement()
        .satisfies(change -> {
          assertThat(change.rule()).isEqualTo(CompatibilityRule.FIELD_TYPE_CHANGED);
          assertThat(change.file()).isEqualTo(ISSUE);
          assertThat(change.typeName()).isEqualTo("meshlake.jira.v1.JiraIssue");
          assertThat(change.memberName()).isEqualTo("status");
          assertThat(change.description())
              .isEqualTo("meshlake/jira/v1/issue.proto: message meshlake.jira.v1.JiraIssue field 5 'status': "
                  + "type changed from IssueStatus to string");
        });
  }

  @Test
  void reportsEveryBreakingChangeInFileAndDeclarationOrder() {
    Map<String, String> files = released();
    Map<String, String> changed = new TreeMap<>(files);
    changed.put(ISSUE, files.get(ISSUE)
        .replace("  ISSUE_STATUS_BLOCKED = 4;\n", "")
        .replace("int32 vote_count = 14;", "string vote_count = 14;")
        .replace("  string description = 4;\n", ""));
    String user = "meshlake/jira/v1/user.proto";
    changed.put(user, files.get(user).replace("bool is_active = 5;", "repeated bool is_active = 5;"));

    CompatibilityReport report = checker.check(ProtoSchemaSet.of(files), ProtoSchemaSet.of(changed));

    assertThat(report.breakingChanges())
        .extracting(BreakingChange::toLine)
        .containsExactly(
            "ENUM_VALUE_REMOVED meshlake/jira/v1/issue.proto: enum meshlake.jira.v1.IssueStatus value 4 'ISSUE_STATUS_BLOCKED': "
                + "removed without reserving it (add reserved 4; reserved \"ISSUE_STATUS_BLOCKED\";)",
            "FIELD_REMOVED_NOT_RESERVED meshlake/jira/v1/issue.proto: message meshlake.jira.v1.JiraIssue field 4 'description': "
                + "removed without reserving it (add reserved 4; reserved \"description\";)",
            "FIELD_TYPE_CHANGED meshlake/jira/v1/issue.proto: message meshlake.jira.v1.JiraIssue field 14 'vote_count': "
                + "type changed from int32 to string",
            "FIELD_CARDINALITY_CHANGED meshlake/jira/v1/user.proto: message meshlake.jira.v1.JiraUser field 5 'is_active': "
                + "cardinality changed from singular to repeated");
    assertThat(report.toString()).startsWith("4 breaking change(s):\n");
  }

  @Test
  void releasedContractsAreCompatibleWithThemselvesAndWithAnEmptyBaseline() {
    ProtoSchemaSet released = ProtoSchemaSet.fromDirectory(CONTRACTS);

    assertThat(checker.check(released, released).isCompatible()).isTrue();
    assertThat(checker.check(ProtoSchemaSet.empty(), released).isCompatible()).isTrue();
  }

  @Test
  void removingEveryFileReportsEachFileOnce() {
    ProtoSchemaSet released = ProtoSchemaSet.fromDirectory(CONTRACTS);

    CompatibilityReport report = checker.check(released, ProtoSchemaSet.empty());

    assertThat(report.breakingChanges()).hasSize(released.files().size())
        .allSatisfy(c -> assertThat(c.rule()).isEqualTo(CompatibilityRule.FILE_REMOVED));
    assertThat(report.breakingChanges().get(0).description()).contains("(it declared ");
  }

  /** Every ordered pair of scalar types, one field each, checked in one comparison. */
  @Test
  void scalarTypeChangesFollowTheDocumentedCompatibleGroups() {
    List<String> scalars = List.of("double", "float", "int32", "int64", "uint32", "uint64", "sint32", "sint64",
        "fixed32", "fixed64", "sfixed32", "sfixed64", "bool", "string", "bytes");
    // Written out here rather than taken from WireTypeCompatibility, so the test can disagree with it.
    Set<String> compatiblePairs = new TreeSet<>(List.of(
        "int32 int64", "int32 uint32", "int32 uint64", "int32 bool", "int64 uint32", "int64 uint64", "int64 bool",
        "uint32 uint64", "uint32 bool", "uint64 bool", "sint32 sint64", "fixed32 sfixed32", "fixed64 sfixed64",
        "string bytes"));
    StringBuilder before = new StringBuilder("message Scalars {\n");
    StringBuilder after = new StringBuilder("message Scalars {\n");
    Set<String> expectedBroken = new TreeSet<>();
    int number = 1;
    for (String from : scalars) {
      for (String to : scalars) {
        String name = "f_" + from + "_to_" + to;
        before.append("  ").append(from).append(' ').append(name).append(" = ").append(number).append(";\n");
        after.append("  ").append(to).append(' ').append(name).append(" = ").append(number).append(";\n");
        number++;
        boolean compatible = from.equals(to) || compatiblePairs.contains(from + " " + to) || compatiblePairs.contains(to + " " + from);
        if (!compatible) {
          expectedBroken.add(name);
        }
      }
    }

    CompatibilityReport report = checker.check(single(before + "}\n"), single(after + "}\n"));

    assertThat(report.rules()).containsOnly(CompatibilityRule.FIELD_TYPE_CHANGED);
    assertThat(new TreeSet<>(report.breakingChanges().stream().map(BreakingChange::memberName).toList()))
        .isEqualTo(expectedBroken);
    assertThat(expectedBroken).hasSize(15 * 15 - 15 - 2 * compatiblePairs.size());
  }

  @Test
  void renameNeedsExactlyOneCandidateWithTheSameMembers() {
    ProtoSchemaSet before = single("message Old { string id = 1; }\n");
    ProtoSchemaSet after = single("message NewA { string id = 1; }\nmessage NewB { string id = 1; }\n");

    CompatibilityReport report = checker.check(before, after);

    assertThat(report.breakingChanges()).extracting(BreakingChange::toLine)
        .containsExactly("MESSAGE_REMOVED main.proto: message acme.v1.Old: removed");
  }

  @Test
  void renamedMessageIsReportedOnceAndFieldsFollowIt() {
    ProtoSchemaSet before = single("message Order { Line line = 1; }\nmessage Line { string sku = 1; }\n");
    ProtoSchemaSet after = single("message Order { OrderLine line = 1; }\nmessage OrderLine { string sku = 1; }\n");

    assertThat(checker.check(before, after).breakingChanges()).extracting(BreakingChange::toLine)
        .containsExactly("MESSAGE_RENAMED main.proto: message acme.v1.Line: renamed to acme.v1.OrderLine");
  }

  @Test
  void messageMovedToAnotherFileSaysWhere() {
    ProtoSchemaSet before = ProtoSchemaSet.of(Map.of(
        "main.proto", "syntax = \"proto3\";\npackage acme.v1;\nmessage Order { string id = 1; }\nmessage Line { string sku = 1; }\n",
        "line.proto", "syntax = \"proto3\";\npackage acme.v1;\n"));
    ProtoSchemaSet after = ProtoSchemaSet.of(Map.of(
        "main.proto", "syntax = \"proto3\";\npackage acme.v1;\nmessage Order { string id = 1; }\n",
        "line.proto", "syntax = \"proto3\";\npackage acme.v1;\nmessage Line { string sku = 1; }\n"));

    assertThat(checker.check(before, after).breakingChanges()).extracting(BreakingChange::toLine)
        .containsExactly("MESSAGE_REMOVED main.proto: message acme.v1.Line: removed (moved to line.proto)");
  }

  @Test
  void packageRenameIsReportedOnceNotForEveryType() {
    String body = "message Order { Line line = 1; Status status = 2; }\nmessage Line { string sku = 1; }\nenum Status { S0 = 0; }\n";
    ProtoSchemaSet before = ProtoSchemaSet.of(Map.of("main.proto", "syntax = \"proto3\";\npackage acme.v1;\n" + body));
    ProtoSchemaSet after = ProtoSchemaSet.of(Map.of("main.proto", "syntax = \"proto3\";\npackage acme.orders.v1;\n" + body));

    assertThat(checker.check(before, after).breakingChanges()).extracting(BreakingChange::toLine)
        .containsExactly("PACKAGE_CHANGED main.proto: package changed from acme.v1 to acme.orders.v1 "
            + "(every type of the file gets a new full name)");
  }

  @Test
  void reservedRangesMayBeMergedButNotShrunk() {
    ProtoSchemaSet before = single("message A { string id = 1; reserved 5, 10 to 12; }\n");

    assertThat(checker.check(before, single("message A { string id = 1; reserved 5 to 9, 10, 11 to 20; }\n")).isCompatible())
        .isTrue();
    assertThat(checker.check(before, single("message A { string id = 1; reserved 5, 10 to 11; string x = 12; }\n"))
            .breakingChanges())
        .extracting(BreakingChange::toLine)
        .containsExactly("RESERVATION_DROPPED main.proto: message acme.v1.A: reserved 10 to 12 is no longer reserved "
            + "(now used by field 12 'x')");
  }

  @Test
  void removingAnEnumAliasNeedsOnlyItsNameReserved() {
    ProtoSchemaSet before = single("enum E { option allow_alias = true; E0 = 0; DONE = 1; FINISHED = 1; }\n");

    assertThat(checker.check(before, single("enum E { E0 = 0; DONE = 1; reserved \"FINISHED\"; }\n")).isCompatible()).isTrue();
    assertThat(checker.check(before, single("enum E { E0 = 0; DONE = 1; }\n")).rules())
        .containsExactly(CompatibilityRule.ENUM_VALUE_REMOVED);
  }

  @Test
  void fieldRenamedWhileWideningIsStillARename() {
    CompatibilityReport report = checker.check(single("message A { int32 count = 1; }\n"), single("message A { int64 total = 1; }\n"));

    assertThat(report.breakingChanges()).extracting(BreakingChange::toLine)
        .containsExactly("FIELD_RENAMED main.proto: message acme.v1.A field 1 'count': renamed to 'total'");
  }

  @Test
  void numberReusedNamesTheNewField() {
    CompatibilityReport report =
        checker.check(single("message A { int32 count = 1; }\n"), single("message A { repeated string tags = 1; }\n"));

    assertThat(report.breakingChanges()).extracting(BreakingChange::toLine)
        .containsExactly("FIELD_NUMBER_REUSED main.proto: message acme.v1.A field 1 'count': "
            + "number reused by repeated string 'tags' (was int32)");
  }

  @Test
  void entityKeepsItsIdThroughAMessageRename() {
    ProtoSchemaSet before = single("message Issue { string id = 1; }\n");
    ProtoSchemaSet after = single("message JiraIssue { string id = 1; }\n");
    ManifestSet beforeManifests = ManifestSet.of(Map.of("issue.manifest.yaml", "entity: acme.v1.Issue\nentity_type: 3\n"));
    ManifestSet afterManifests = ManifestSet.of(Map.of("issue.manifest.yaml", "entity: acme.v1.JiraIssue\nentity_type: 3\n"));

    CompatibilityReport report = checker.check(before, beforeManifests, after, afterManifests);

    assertThat(report.rules()).containsExactly(CompatibilityRule.MESSAGE_RENAMED);
  }

  @Test
  void entityTypeRulesNameTheManifestAndTheOtherEntity() {
    ManifestSet before = ManifestSet.of(Map.of(
        "a.manifest.yaml", "entity: acme.v1.A\nentity_type: 1\n",
        "b.manifest.yaml", "entity: acme.v1.B\nentity_type: 2\n"));
    ManifestSet after = ManifestSet.of(Map.of(
        "a.manifest.yaml", "entity: acme.v1.A\nentity_type: 2\n"));

    List<String> lines = new ArrayList<>();
    ManifestCompatibility.check(before, after).forEach(c -> lines.add(c.toLine()));

    assertThat(lines).containsExactly(
        "ENTITY_TYPE_CHANGED a.manifest.yaml: entity acme.v1.A: entity_type changed from 1 to 2",
        "ENTITY_REMOVED b.manifest.yaml: entity acme.v1.B (entity_type 2) removed: its events can no longer be routed; keep the manifest",
        "ENTITY_TYPE_REUSED a.manifest.yaml: entity acme.v1.A: entity_type 2 belonged to acme.v1.B (b.manifest.yaml); "
            + "ids are never reused, take a new one");
  }

  @Test
  void manifestsThatCannotIdentifyTheirEntityAreInvalid() {
    assertThatThrownBy(() -> ManifestSet.of(Map.of(
            "a.manifest.yaml", "entity: acme.v1.A\nentity_type: 7\n",
            "b.manifest.yaml", "entity: acme.v1.B\nentity_type: 7\n")))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessage("b.manifest.yaml: entity_type 7 of acme.v1.B is already used by acme.v1.A (a.manifest.yaml)");
    assertThatThrownBy(() -> ManifestSet.of(Map.of("a.manifest.yaml", "entity: acme.v1.A\n")))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("'entity_type' must be a positive integer, was missing");
    assertThatThrownBy(() -> ManifestSet.of(Map.of("a.manifest.yaml", "entity_type: 3\n")))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("'entity' (the fully-qualified message name) is missing");
    assertThatThrownBy(() -> ManifestSet.of(Map.of("a.manifest.yaml", "entity: [unclosed\n")))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("a.manifest.yaml")
        .hasMessageContaining("invalid YAML");
  }

  @Test
  void manifestNamingAMessageThatDoesNotExistIsInvalid() {
    ProtoSchemaSet protos = single("message Issue { string id = 1; }\nenum Kind { K0 = 0; }\n");
    ManifestSet typo = ManifestSet.of(Map.of("issue.manifest.yaml", "entity: acme.v1.Isue\nentity_type: 3\n"));
    ManifestSet anEnum = ManifestSet.of(Map.of("kind.manifest.yaml", "entity: acme.v1.Kind\nentity_type: 4\n"));

    assertThatThrownBy(() -> checker.check(protos, ManifestSet.empty(), protos, typo))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessage("issue.manifest.yaml: entity acme.v1.Isue is not a message of the next .proto files");
    assertThatThrownBy(() -> checker.check(protos, anEnum, protos, ManifestSet.empty()))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("entity acme.v1.Kind is not a message of the previous .proto files");
  }

  @Test
  void messageReplacedByEnumSaysWhichKindEachSideIs() {
    CompatibilityReport report = checker.check(
        single("message A { P p = 1; }\nmessage P { int32 level = 1; }\n"),
        single("message A { P p = 1; }\nenum P { P0 = 0; }\n"));

    assertThat(report.breakingChanges()).extracting(BreakingChange::toLine).containsExactly(
        "MESSAGE_REMOVED main.proto: message acme.v1.P: removed (acme.v1.P is now an enum)",
        "FIELD_TYPE_CHANGED main.proto: message acme.v1.A field 1 'p': type changed from message P to enum P");
  }

  @Test
  void releasedManifestsAreRead() {
    ManifestSet manifests = ManifestSet.fromDirectory(CONTRACTS);

    assertThat(manifests.entity("meshlake.jira.v1.JiraIssue")).get()
        .extracting(ManifestSet.Entry::entityType, ManifestSet.Entry::file)
        .containsExactly(1, "meshlake/jira/v1/issue.manifest.yaml");
  }
}
