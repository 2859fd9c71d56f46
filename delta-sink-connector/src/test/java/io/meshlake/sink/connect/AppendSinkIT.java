package io.meshlake.sink.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import com.google.protobuf.Timestamp;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.jira.v1.JiraProject;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableScanner;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import io.meshlake.testkit.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Append writer on a real Connect worker: raw tables hold every good event once, bad ones go to the DLQ. */
class AppendSinkIT {

  static SinkHarness harness;
  @TempDir static Path lake;

  @BeforeAll
  static void start() {
    harness = new SinkHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void everyEventLandsOnceInItsEntitysRawTableAndBadRecordsInTheDeadLetterTopic() throws Exception {
    String topic = KafkaTestCluster.uniqueTopic("facsimile.jira");
    String dlq = KafkaTestCluster.uniqueTopic("dlq.jira");
    harness.kafka.createTopic(topic, 3);
    int issues = 0;
    int projects = 0;
    try (KafkaProducer<byte[], byte[]> producer = harness.kafka.producer()) {
      for (int i = 0; i < 200; i++) {
        String ws = "w" + (i % 3);
        FacsimileRecord event = Events.envelope(ws, "I-" + (i % 50), 1, i, 0, false,
            Events.issue("I-" + (i % 50), i, List.of("l" + (i % 4))));
        Events.send(producer, harness.encoder, topic, event);
        issues++;
        if (i % 10 == 0) {
          // A duplicate delivery is a second record: the raw table keeps both receipts.
          Events.send(producer, harness.encoder, topic, event);
          issues++;
        }
        if (i % 20 == 0) {
          Events.send(producer, harness.encoder, topic, Events.envelope(ws, "P-" + i, 2, 1, 0, false,
              JiraProject.newBuilder().setProjectId("P-" + i).setName("Project " + i).build()));
          projects++;
        }
      }
      Events.sendRaw(producer, topic, "garbage", "not a framed envelope".getBytes(StandardCharsets.UTF_8));
      Events.sendRaw(producer, topic, "null", null);
      Events.send(producer, harness.encoder, topic, Events.envelope("w1", "X", 999, 1, 0, false, null));
      // An entity that is no JiraIssue at all, and one whose timestamp is beyond a raw table's microseconds.
      Events.send(producer, harness.encoder, topic, Events.envelope("w1", "BAD", 1, 1, 0, false, null).toBuilder()
          .setEntity(com.google.protobuf.Any.newBuilder().setTypeUrl("type.googleapis.com/" + JiraIssue.getDescriptor().getFullName())
              .setValue(com.google.protobuf.ByteString.copyFrom(new byte[] {0x0A, 0x05, 'a'})))
          .build());
      Events.send(producer, harness.encoder, topic, Events.envelope("w1", "FAR", 1, 1, 0, false,
          Events.issue("FAR", 1, List.of()).toBuilder().setCreatedAt(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE / 1_000)).build()));
      producer.flush();
    }

    Map<String, String> config = harness.baseConfig(topic, lake.toString(), dlq);
    config.put("writer.type", "Append");
    config.put("domain", "jira");
    config.put("tasks.max", "2");
    harness.deploy("raw-jira", config);

    LocalTableStore store = new LocalTableStore(lake);
    int expectedIssues = issues;
    int expectedProjects = projects;
    await().atMost(SinkHarness.deadline()).untilAsserted(() -> {
      harness.assertNoFailedTask("raw-jira");
      assertThat(rows(store, "raw_jira_issue")).hasSize(expectedIssues);
      assertThat(rows(store, "raw_jira_project")).hasSize(expectedProjects);
    });

    DeltaTable issuesTable = table(store, "raw_jira_issue");
    TableSchema schema = issuesTable.schema();
    List<Object[]> issueRows = TableScanner.readAll(issuesTable);
    Set<String> coordinates = new HashSet<>();
    for (Object[] row : issueRows) {
      coordinates.add(row[schema.indexOf("_kafka_partition")] + "@" + row[schema.indexOf("_kafka_offset")]);
    }
    assertThat(coordinates).as("each record exactly once").hasSize(expectedIssues);
    Object[] sample = issueRows.stream().filter(r -> Long.valueOf(7).equals(r[schema.indexOf("_version")])).findFirst().orElseThrow();
    assertThat(sample[schema.indexOf("workspace_id")]).isEqualTo("w1");
    assertThat(sample[schema.indexOf("resource_ari")]).isEqualTo("ari:cloud:jira:w1:issue/I-7");
    assertThat(sample[schema.indexOf("status")]).isEqualTo("ISSUE_STATUS_IN_PROGRESS");
    assertThat(sample[schema.indexOf("labels")]).isEqualTo(List.of("l3"));
    assertThat(sample[schema.indexOf("created_at")]).isEqualTo(1_700_000_000_000_000L);
    assertThat(sample[schema.indexOf("resolution_at")]).isNull();

    List<ConsumerRecord<byte[], byte[]>> dead = harness.kafka.readAll(dlq);
    assertThat(dead).hasSize(5);
    assertThat(dead).extracting(r -> header(r, "__connect.errors.exception.message"))
        .anySatisfy(m -> assertThat(m).contains("undecodable envelope"))
        .anySatisfy(m -> assertThat(m).contains("null value"))
        .anySatisfy(m -> assertThat(m).contains("unknown entity_type 999"))
        .anySatisfy(m -> assertThat(m).contains("ari:cloud:jira:w1:issue/BAD").contains("does not decode"))
        .anySatisfy(m -> assertThat(m).contains("does not fit raw_jira_issue"));

    // DuckDB reads the raw table from the snapshot's file list.
    String fileList = String.join(", ", issuesTable.files(issuesTable.latest(), Map.of(), f -> true).stream()
        .map(f -> "'" + lake.resolve("raw_jira_issue").resolve(f.path()) + "'").toList());
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs = duck.createStatement().executeQuery("SELECT count(*), count(DISTINCT _kafka_partition || '@' || _kafka_offset) FROM read_parquet([" + fileList + "])")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(expectedIssues);
      assertThat(rs.getLong(2)).isEqualTo(expectedIssues);
    }
  }

  static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
  }

  static DeltaTable table(LocalTableStore store, String name) {
    return DeltaTable.open(store, name);
  }

  static List<Object[]> rows(LocalTableStore store, String name) {
    try {
      return TableScanner.readAll(table(store, name));
    } catch (io.delta.kernel.exceptions.TableNotFoundException notYet) {
      return List.of();
    }
  }
}
