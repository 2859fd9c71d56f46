package io.meshlake.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.registry.CompatibilityResult;
import io.meshlake.contracts.registry.RegisteredSchema;
import io.meshlake.contracts.registry.SchemaReference;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.registry.SchemaRegistryException;
import io.meshlake.contracts.registry.SchemaText;
import io.meshlake.contracts.wire.ProtobufDecoder;
import io.meshlake.contracts.wire.ProtobufEncoder;
import io.meshlake.contracts.wire.UnknownSchemaException;
import io.meshlake.contracts.wire.ConfluentFrame;
import io.meshlake.contracts.wire.MessageIndexes;
import io.meshlake.contracts.wire.WireFormatException;
import io.meshlake.testkit.KafkaClusterExtension;
import io.meshlake.testkit.KafkaTestCluster;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** schema-contracts' registry client and decoder against this registry over HTTP. */
class RegistryClientTest {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  static SchemaRegistryServer server;

  @BeforeAll
  static void start() {
    server = SchemaRegistryServer.start(RegistryConfig.builder().bootstrapServers(KAFKA.bootstrapServers())
        .topic(KafkaTestCluster.uniqueTopic("_schemas")).listenHost("127.0.0.1").listenPort(0).build());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static final String V1 = "syntax = \"proto3\";\npackage client.test;\nmessage Item {\n  string id = 1;\n}\n";
  static final String V2 = "syntax = \"proto3\";\npackage client.test;\nmessage Item {\n  string id = 1;\n  int64 count = 2;\n}\n";
  static final String BREAKING = "syntax = \"proto3\";\npackage client.test;\nmessage Item {\n  int64 id = 1;\n}\n";

  @Test
  void registersLooksUpAndCachesWhatNeverChanges() {
    SchemaRegistryClient client = new SchemaRegistryClient(server.url());
    int id = client.register("items-value", SchemaText.of(V1));
    long requests = client.requestCount();
    assertThat(client.register("items-value", SchemaText.of(V1))).isEqualTo(id);
    assertThat(client.schemaById(id).schema()).isEqualTo(V1);
    assertThat(client.requestCount()).as("same registration and a known id: no HTTP call").isEqualTo(requests);

    RegisteredSchema found = client.lookup("items-value", SchemaText.of(V1));
    assertThat(found.id()).isEqualTo(id);
    assertThat(found.version()).isEqualTo(1);
    assertThat(new SchemaRegistryClient(server.url()).register("other-subject", SchemaText.of(V1)))
        .as("same schema, another subject: same id").isEqualTo(id);

    CompatibilityResult ok = client.testCompatibility("items-value", "latest", SchemaText.of(V2));
    assertThat(ok.compatible()).isTrue();
    CompatibilityResult bad = client.testCompatibility("items-value", "latest", SchemaText.of(BREAKING));
    assertThat(bad.compatible()).isFalse();
    assertThat(bad.messages()).anySatisfy(m -> assertThat(m).contains("id"));
    assertThatThrownBy(() -> client.register("items-value", SchemaText.of(BREAKING)))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(409));

    int v2 = client.register("items-value", SchemaText.of(V2));
    assertThat(client.latest("items-value").id()).isIn(id, v2);
    assertThat(new SchemaRegistryClient(server.url(), Duration.ZERO).latest("items-value").id()).isEqualTo(v2);
    assertThat(client.versions("items-value")).containsExactly(1, 2);
    assertThat(client.subjects()).contains("items-value", "other-subject");

    client.setCompatibilityLevel("items-value", "NONE");
    assertThat(client.compatibilityLevel("items-value")).isEqualTo("NONE");
    assertThat(client.register("items-value", SchemaText.of(BREAKING))).isPositive();
  }

  @Test
  void referencesTravelWithTheSchema() {
    SchemaRegistryClient client = new SchemaRegistryClient(server.url());
    String common = "syntax = \"proto3\";\npackage client.common;\nmessage Money {\n  int64 cents = 1;\n}\n";
    client.register("client/common.proto", SchemaText.of(common));
    String main = "syntax = \"proto3\";\npackage client.order;\nimport \"client/common.proto\";\nmessage Order {\n  client.common.Money total = 1;\n}\n";
    SchemaText text = new SchemaText(main, List.of(new SchemaReference("client/common.proto", "client/common.proto", 1)));
    int id = client.register("orders-value", text);
    assertThat(new SchemaRegistryClient(server.url()).schemaById(id).references())
        .containsExactly(new SchemaReference("client/common.proto", "client/common.proto", 1));
  }

  @Test
  void errorsCarryConfluentCodesAndUnreachableUrlsFailOver() throws Exception {
    SchemaRegistryClient client = new SchemaRegistryClient(server.url());
    assertThatThrownBy(() -> client.latest("no-such-subject"))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
          assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SUBJECT_NOT_FOUND);
          assertThat(e.isNotFound()).isTrue();
        });
    assertThatThrownBy(() -> client.schemaById(987654))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.SCHEMA_NOT_FOUND));
    assertThatThrownBy(() -> client.register("broken", SchemaText.of("message {")))
        .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.errorCode()).isEqualTo(SchemaRegistryException.INVALID_SCHEMA));

    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    SchemaRegistryClient failover = new SchemaRegistryClient("http://127.0.0.1:" + deadPort + "," + server.url());
    assertThat(failover.register("failover", SchemaText.of(V1))).isPositive();
    SchemaRegistryClient nothing = new SchemaRegistryClient("http://127.0.0.1:" + deadPort);
    assertThatThrownBy(() -> nothing.subjects()).isInstanceOf(SchemaRegistryException.class).hasMessageContaining("no schema registry reachable");
    assertThatThrownBy(() -> new SchemaRegistryClient("ftp://x")).hasMessageContaining("must be an http(s) URL");
    assertThatThrownBy(() -> new SchemaRegistryClient(" ")).hasMessageContaining("schema.registry.url is empty");
  }

  @Test
  void theDecoderTellsUnknownSchemaIdsFromBadBytes() {
    ProtobufDecoder<FacsimileRecord> decoder = new ProtobufDecoder<>(new SchemaRegistryClient(server.url()), FacsimileRecord.getDefaultInstance());
    byte[] unknownId = ConfluentFrame.encode(424242, MessageIndexes.of(2), new byte[0]);
    assertThatThrownBy(() -> decoder.decode(unknownId)).isInstanceOf(UnknownSchemaException.class).hasMessageContaining("schema id 424242 is not registered");
    int itemId = new SchemaRegistryClient(server.url()).register("item-frames", SchemaText.of(V1));
    byte[] wrongType = ConfluentFrame.encode(itemId, MessageIndexes.FIRST, new byte[0]);
    assertThatThrownBy(() -> decoder.decode(wrongType)).isInstanceOf(WireFormatException.class)
        .hasMessageContaining("is client.test.Item, expected meshlake.facsimile.v1.FacsimileRecord");
  }

  @Test
  void messagePathsWhoseHashesCollideNameTheirOwnTypes() {
    // [0, 31] and [1, 0] have the same List hash code: the type cache must still tell them apart.
    StringBuilder schema = new StringBuilder("syntax = \"proto3\";\npackage client.paths;\nmessage A {\n");
    for (int i = 0; i < 32; i++) {
      schema.append("  message N").append(i).append(" {}\n");
    }
    schema.append("}\nmessage B {\n  message C {}\n}\n");
    assertThat(MessageIndexes.of(0, 31).path().hashCode()).isEqualTo(MessageIndexes.of(1, 0).path().hashCode());
    SchemaRegistryClient client = new SchemaRegistryClient(server.url());
    int id = client.register("colliding-paths", SchemaText.of(schema.toString()));
    ProtobufDecoder<FacsimileRecord> decoder = new ProtobufDecoder<>(client, FacsimileRecord.getDefaultInstance());
    for (int round = 0; round < 2; round++) {
      assertThatThrownBy(() -> decoder.decode(ConfluentFrame.encode(id, MessageIndexes.of(0, 31), new byte[0])))
          .hasMessageContaining("is client.paths.A.N31, expected");
      assertThatThrownBy(() -> decoder.decode(ConfluentFrame.encode(id, MessageIndexes.of(1, 0), new byte[0])))
          .hasMessageContaining("is client.paths.B.C, expected");
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  @Test
  void decodingInPlaceGivesTheSameMessageAndRejectsTheSameBadBytes() {
    SchemaRegistryClient client = new SchemaRegistryClient(server.url());
    ProtobufDecoder<FacsimileRecord> decoder = new ProtobufDecoder<>(client, FacsimileRecord.getDefaultInstance());
    FacsimileRecord envelope = FacsimileRecord.newBuilder().setEntityType(7).setVersion(42)
        .setEntity(com.google.protobuf.Any.newBuilder().setTypeUrl("type.googleapis.com/x.Y")
            .setValue(com.google.protobuf.ByteString.copyFromUtf8("an entity's bytes")))
        .build();
    byte[] framed = new ProtobufEncoder(client).encode("facsimile.inplace", envelope);
    FacsimileRecord shared = decoder.decodeSharing(framed).message();
    FacsimileRecord copied = decoder.decode(framed).message();
    assertThat(shared).isEqualTo(copied).isEqualTo(envelope);
    // In place means the entity's bytes are a view of the record's array, not a copy of them.
    int at = indexOf(framed, "an entity's bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    framed[at] = 'A';
    assertThat(shared.getEntity().getValue().toStringUtf8()).isEqualTo("An entity's bytes");
    assertThat(copied.getEntity().getValue().toStringUtf8()).isEqualTo("an entity's bytes");
    framed[at] = 'a';

    // A stray end-group tag (field 1, wire type 4) after the message, and a cut-off payload.
    byte[] strayEndGroup = java.util.Arrays.copyOf(framed, framed.length + 1);
    strayEndGroup[framed.length] = 0x0c;
    byte[] truncated = java.util.Arrays.copyOf(framed, framed.length - 3);
    for (byte[] bad : List.of(strayEndGroup, truncated)) {
      assertThatThrownBy(() -> decoder.decode(bad)).isInstanceOf(WireFormatException.class)
          .hasMessageContaining("payload is not a valid meshlake.facsimile.v1.FacsimileRecord");
      assertThatThrownBy(() -> decoder.decodeSharing(bad)).isInstanceOf(WireFormatException.class)
          .hasMessageContaining("payload is not a valid meshlake.facsimile.v1.FacsimileRecord");
    }
  }
}
