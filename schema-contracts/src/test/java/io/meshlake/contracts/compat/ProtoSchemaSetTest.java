package io.meshlake.contracts.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProtoSchemaSetTest {

  private static final String COMMON =
      """
      syntax = "proto3";
      package acme.common.v1;
      message Money {
        int64 units = 1;
        string currency = 2;
      }
      """;

  private static final String ORDER =
      """
      syntax = "proto3";
      package acme.orders.v1;
      import "acme/common/v1/money.proto";
      message Order {
        string order_id = 1;
        acme.common.v1.Money total = 2;
      }
      """;

  @Test
  void resolvesImportsBetweenFilesOfTheSet() {
    ProtoSchemaSet set = ProtoSchemaSet.of(Map.of("acme/common/v1/money.proto", COMMON, "acme/orders/v1/order.proto", ORDER));

    assertThat(set.files()).containsExactly("acme/common/v1/money.proto", "acme/orders/v1/order.proto");
    assertThat(set.packageName("acme/orders/v1/order.proto")).isEqualTo("acme.orders.v1");
    assertThat(set.syntax("acme/orders/v1/order.proto")).isEqualTo("proto3");
    assertThat(set.fileDeclaring("acme.common.v1.Money")).contains("acme/common/v1/money.proto");
    assertThat(set.fileDeclaring("acme.common.v1.Nope")).isEmpty();
    assertThat(set.text("acme/common/v1/money.proto")).isEqualTo(COMMON);
  }

  @Test
  void knowsEveryWellKnownTypeWithoutItBeingInTheSet() {
    String file =
        """
        syntax = "proto3";
        package acme.wkt.v1;
        import "google/protobuf/any.proto";
        import "google/protobuf/api.proto";
        import "google/protobuf/descriptor.proto";
        import "google/protobuf/duration.proto";
        import "google/protobuf/empty.proto";
        import "google/protobuf/field_mask.proto";
        import "google/protobuf/source_context.proto";
        import "google/protobuf/struct.proto";
        import "google/protobuf/timestamp.proto";
        import "google/protobuf/type.proto";
        import "google/protobuf/wrappers.proto";
        message Everything {
          google.protobuf.Any any = 1;
          google.protobuf.Api api = 2;
          google.protobuf.FileDescriptorProto descriptor = 3;
          google.protobuf.Duration duration = 4;
          google.protobuf.Empty empty = 5;
          google.protobuf.FieldMask mask = 6;
          google.protobuf.SourceContext source = 7;
          google.protobuf.Struct struct = 8;
          google.protobuf.Timestamp at = 9;
          google.protobuf.Type type = 10;
          google.protobuf.Int64Value wrapped = 11;
        }
        """;

    ProtoSchemaSet set = ProtoSchemaSet.of(Map.of("wkt.proto", file));

    assertThat(set.files()).containsExactly("wkt.proto");
    assertThat(ProtoSchemaSet.WELL_KNOWN_TYPES).hasSize(11);
    assertThat(set.schema().getType("google.protobuf.FieldMask")).isNotNull();
  }

  @Test
  void syntaxErrorNamesFileAndLine() {
    String broken = "syntax = \"proto3\";\nmessage A {\n  string name = ;\n}\n";

    InvalidSchemaException e =
        catchThrowableOfType(InvalidSchemaException.class, () -> ProtoSchemaSet.of(Map.of("acme/a.proto", broken)));

    assertThat(e.file()).isEqualTo("acme/a.proto");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage()).startsWith("acme/a.proto:3:").contains("syntax error");
  }

  @Test
  void unresolvedImportNamesFileAndLine() {
    InvalidSchemaException e =
        catchThrowableOfType(InvalidSchemaException.class, () -> ProtoSchemaSet.of(Map.of("acme/orders/v1/order.proto", ORDER)));

    assertThat(e.file()).isEqualTo("acme/orders/v1/order.proto");
    assertThat(e.line()).isEqualTo(3);
    assertThat(e.getMessage())
        .isEqualTo("acme/orders/v1/order.proto:3: import \"acme/common/v1/money.proto\" is not in the schema set"
            + " (and is not a google/protobuf well-known type)");
  }

  @Test
  void unknownTypeReferenceNamesFileAndLine() {
    String file = "syntax = \"proto3\";\npackage acme;\nmessage A {\n  string id = 1;\n  Missing other = 2;\n}\n";

    InvalidSchemaException e =
        catchThrowableOfType(InvalidSchemaException.class, () -> ProtoSchemaSet.of(Map.of("acme/a.proto", file)));

    assertThat(e.file()).isEqualTo("acme/a.proto");
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.getMessage()).contains("unable to resolve Missing").contains("acme/a.proto:5:");
  }

  @Test
  void typeFromAFileThatIsNotImportedIsRejected() {
    String orderWithoutImport = ORDER.replace("import \"acme/common/v1/money.proto\";\n", "");

    assertThatThrownBy(
            () -> ProtoSchemaSet.of(Map.of("acme/common/v1/money.proto", COMMON, "acme/orders/v1/order.proto", orderWithoutImport)))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("acme/orders/v1/order.proto needs to import acme/common/v1/money.proto");
  }

  @Test
  void duplicateFieldNumberNamesFileAndLine() {
    String file = "syntax = \"proto3\";\npackage acme;\nmessage A {\n  string id = 1;\n  string name = 1;\n}\n";

    InvalidSchemaException e =
        catchThrowableOfType(InvalidSchemaException.class, () -> ProtoSchemaSet.of(Map.of("acme/a.proto", file)));

    assertThat(e.file()).isEqualTo("acme/a.proto");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.getMessage()).contains("multiple fields share tag 1").contains("acme/a.proto:5:");
  }

  @Test
  void everyBrokenFileIsReportedAtOnce() {
    InvalidSchemaException e =
        catchThrowableOfType(
            InvalidSchemaException.class,
            () -> ProtoSchemaSet.of(Map.of("a.proto", "message A {", "b.proto", "syntax = \"proto3\";\nmessage B { int32 x = }")));

    assertThat(e.getMessage()).contains("a.proto:").contains("b.proto:2:");
  }

  @Test
  void importPathsMustBeRelativeProtoPaths() {
    for (String bad : List.of("/abs/a.proto", "../a.proto", "a/./b.proto", "a.txt", "a\\b.proto")) {
      assertThatThrownBy(() -> ProtoSchemaSet.of(Map.of(bad, "syntax = \"proto3\";")))
          .as(bad)
          .isInstanceOf(InvalidSchemaException.class)
          .hasMessageContaining("invalid import path");
    }
  }

  private static final String NESTED =
      """
      syntax = "proto3";
      package acme.n;
      enum Leading { LEADING_UNSPECIFIED = 0; }
      message A {
        enum Kind { KIND_UNSPECIFIED = 0; }
        message A1 { string x = 1; }
        message A2 {
          message A2a { string y = 1; }
        }
      }
      message B {
        map<string, string> attributes = 1;
        message B1 { int32 z = 1; }
      }
      """;

  @Test
  void messageIndexesCountOnlyMessagesAtEachLevel() {
    ProtoSchemaSet set = ProtoSchemaSet.of(Map.of("n.proto", NESTED));

    // Enums and the synthetic map-entry message of B.attributes do not count (as in Confluent's serde).
    assertThat(set.messageIndexes("n.proto", "acme.n.A")).containsExactly(0);
    assertThat(set.messageIndexes("n.proto", "acme.n.A.A1")).containsExactly(0, 0);
    assertThat(set.messageIndexes("n.proto", "acme.n.A.A2")).containsExactly(0, 1);
    assertThat(set.messageIndexes("n.proto", "acme.n.A.A2.A2a")).containsExactly(0, 1, 0);
    assertThat(set.messageIndexes("n.proto", "acme.n.B")).containsExactly(1);
    assertThat(set.messageIndexes("n.proto", "acme.n.B.B1")).containsExactly(1, 0);
  }

  @Test
  void messageNameIsTheReverseOfMessageIndexes() {
    ProtoSchemaSet set = ProtoSchemaSet.of(Map.of("n.proto", NESTED));

    for (String name : List.of("acme.n.A", "acme.n.A.A1", "acme.n.A.A2", "acme.n.A.A2.A2a", "acme.n.B", "acme.n.B.B1")) {
      assertThat(set.messageName("n.proto", set.messageIndexes("n.proto", name))).isEqualTo(name);
    }
    assertThat(set.messages("n.proto")).extracting(ProtoSchemaSet.MessageNode::simpleName).containsExactly("A", "B");
  }

  @Test
  void messageIndexesRejectWhatTheFileDoesNotDeclare() {
    ProtoSchemaSet set = ProtoSchemaSet.of(Map.of("n.proto", NESTED));

    assertThatThrownBy(() -> set.messageIndexes("n.proto", "acme.n.Leading"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("n.proto declares no message acme.n.Leading");
    assertThatThrownBy(() -> set.messageName("n.proto", List.of(2))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> set.messageName("n.proto", List.of(0, 1, 1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> set.messageName("n.proto", List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> set.messages("other.proto")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonicalFormIgnoresWhitespaceAndComments() {
    String compact = "syntax=\"proto3\";package acme;message A{string id=1;repeated int32 n=2;}";
    String commented =
        """
        // The file header.
        syntax = "proto3";

        package acme;

        /* The only message. */
        message A {
          string id = 1;   // the key
          repeated int32 n
              = 2;
        }
        """;

    assertThat(ProtoSchemaSet.canonicalize(commented)).isEqualTo(ProtoSchemaSet.canonicalize(compact));
    assertThat(ProtoSchemaSet.canonicalize(compact)).doesNotContain("//").startsWith("syntax = \"proto3\";");
  }

  @Test
  void canonicalFormChangesWithTheSchema() {
    String before = "syntax = \"proto3\"; package acme; message A { string id = 1; }";
    String after = "syntax = \"proto3\"; package acme; message A { string id = 2; }";

    assertThat(ProtoSchemaSet.canonicalize(before)).isNotEqualTo(ProtoSchemaSet.canonicalize(after));
  }

  @Test
  void canonicalFormKeepsCommentLikeTextInsideStrings() {
    String text = "syntax = \"proto3\"; package acme; option java_package = \"a//b/*c*/\"; message A { string id = 1; }";

    assertThat(ProtoSchemaSet.canonicalize(text)).contains("\"a//b/*c*/\"");
  }

  @Test
  void canonicalFormOfAFileIsIndependentOfItsPath() {
    ProtoSchemaSet one = ProtoSchemaSet.of(Map.of("a/x.proto", COMMON));
    ProtoSchemaSet two = ProtoSchemaSet.of(Map.of("b/y.proto", COMMON.replace("\n", "\n\n")));

    assertThat(one.canonicalForm("a/x.proto")).isEqualTo(two.canonicalForm("b/y.proto"));
  }

  @Test
  void fromDirectoryKeysFilesByPathRelativeToTheRoot(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("acme/common/v1"));
    Files.createDirectories(root.resolve("acme/orders/v1"));
    Files.writeString(root.resolve("acme/common/v1/money.proto"), COMMON);
    Files.writeString(root.resolve("acme/orders/v1/order.proto"), ORDER);
    Files.writeString(root.resolve("acme/orders/v1/order.manifest.yaml"), "entity: acme.orders.v1.Order\nentity_type: 4\n");

    ProtoSchemaSet set = ProtoSchemaSet.fromDirectory(root);

    assertThat(set.files()).containsExactly("acme/common/v1/money.proto", "acme/orders/v1/order.proto");
    assertThat(set).isEqualTo(ProtoSchemaSet.of(Map.of("acme/common/v1/money.proto", COMMON, "acme/orders/v1/order.proto", ORDER)));
  }

  @Test
  void fromDirectoryRejectsAMissingDirectory(@TempDir Path root) {
    assertThatThrownBy(() -> ProtoSchemaSet.fromDirectory(root.resolve("nope")))
        .isInstanceOf(InvalidSchemaException.class)
        .hasMessageContaining("not a directory");
  }
}
