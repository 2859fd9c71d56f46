package io.meshlake.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Timestamp;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ConfluentProtobufDeserializer;
import io.meshlake.contracts.wire.ConfluentProtobufSerializer;
import io.meshlake.testkit.KafkaClusterExtension;
import io.meshlake.testkit.KafkaTestCluster;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * meshlake's Confluent-wire serde (schema-contracts) against this registry: what a producer
 * registers and frames, a consumer resolves by id and decodes.
 */
class ConfluentWireInteropTest {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  @Test
  void aSerializedEventRoundTripsThroughTheRegistry() {
    try (SchemaRegistryServer server = SchemaRegistryServer.start(RegistryConfig.builder()
        .bootstrapServers(KAFKA.bootstrapServers())
        .topic(KafkaTestCluster.uniqueTopic("_schemas"))
        .listenHost("127.0.0.1")
        .listenPort(0)
        .build())) {
      JiraIssue issue = JiraIssue.newBuilder()
          .setIssueId("10001").setSummary("Registry interop").setStoryPoints(3)
          .setCreatedAt(Timestamp.newBuilder().setSeconds(1_700_000_000L))
          .build();
      FacsimileRecord record = FacsimileRecord.newBuilder()
          .setResourceAri(Ari.newBuilder().setValue("ari:cloud:jira:ws-1:issue/10001"))
          .setVersion(7)
          .setEntity(Any.pack(issue))
          .build();

      byte[] issueBytes;
      byte[] recordBytes;
      try (ConfluentProtobufSerializer<JiraIssue> issues = new ConfluentProtobufSerializer<>();
          ConfluentProtobufSerializer<FacsimileRecord> records = new ConfluentProtobufSerializer<>()) {
        issues.configure(Map.of(ConfluentProtobufSerializer.REGISTRY_URL, server.url()), false);
        records.configure(Map.of(ConfluentProtobufSerializer.REGISTRY_URL, server.url()), false);
        issueBytes = issues.serialize("jira.issues", issue);
        recordBytes = records.serialize("facsimile.jira", record);
      }

      SchemaRegistryClient client = new SchemaRegistryClient(server.url());
      try (var issueReader = new ConfluentProtobufDeserializer<>(client, JiraIssue.getDefaultInstance());
          var recordReader = new ConfluentProtobufDeserializer<>(client, FacsimileRecord.getDefaultInstance())) {
        assertThat(issueReader.deserialize("jira.issues", issueBytes)).isEqualTo(issue);
        assertThat(recordReader.deserialize("facsimile.jira", recordBytes)).isEqualTo(record);
      }
      RegistryHttp api = new RegistryHttp(server.url());
      int framedId = ByteBuffer.wrap(issueBytes, 1, 4).getInt();
      assertThat(issueBytes[0]).isZero();
      assertThat(api.get("/subjects/jira.issues-value/versions/latest").json().get("id").asInt()).isEqualTo(framedId);
      assertThat(api.get("/schemas/ids/" + framedId).json().get("schema").asText())
          .isEqualTo(Protos.resource("meshlake/jira/v1/issue.proto"));
    }
  }
}
