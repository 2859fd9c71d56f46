package io.meshlake.sink.connect;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.IssuePriority;
import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.wire.ProtobufEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Builds and sends change events the way publishers do, for sink tests. */
final class Events {

  private Events() {}

  static String ari(String workspace, String issueId) {
    return "ari:cloud:jira:" + workspace + ":issue/" + issueId;
  }

  static JiraIssue issue(String id, long version, List<String> labels) {
    return JiraIssue.newBuilder()
        .setIssueId(id)
        .setProjectId("P" + (id.hashCode() & 3))
        .setSummary("summary of " + id + " v" + version)
        .setStatus(IssueStatus.forNumber((int) (version % 6) + 1))
        .setPriority(IssuePriority.ISSUE_PRIORITY_HIGH)
        .setCreatedAt(Timestamp.newBuilder().setSeconds(1_700_000_000L))
        .setStoryPoints((int) version)
        .addAllLabels(labels)
        .build();
  }

  static FacsimileRecord envelope(String workspace, String id, int entityType, long version, long generation,
      boolean tombstone, Message entity) {
    FacsimileRecord.Builder b = FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue(ari(workspace, id)))
        .setEntityType(entityType)
        .setWorkspaceId(Ari.newBuilder().setValue("ari:cloud:platform::workspace/" + workspace))
        .setVersion(version)
        .setGenerationWatermark(generation)
        .setIsTombstone(tombstone);
    if (entity != null) {
      b.setEntity(Any.pack(entity));
    }
    return b.build();
  }

  static void send(KafkaProducer<byte[], byte[]> producer, ProtobufEncoder encoder, String topic, FacsimileRecord record) {
    producer.send(new ProducerRecord<>(topic, record.getResourceAri().getValue().getBytes(StandardCharsets.UTF_8),
        encoder.encode(topic, record)));
  }

  static void sendRaw(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value));
  }
}
