package io.meshlake.sink.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableScanner;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.S3Settings;
import io.meshlake.table.storage.S3TableStore;
import io.meshlake.table.storage.TableStore;
import io.meshlake.testkit.KafkaTestCluster;
import io.meshlake.testkit.S3TestServer;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The same end-to-end flow with the tables in S3 (s3mock: conditional puts honoured), in both merge modes. */
class S3SinkIT {

  static SinkHarness harness;
  static S3TestServer s3;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    harness = new SinkHarness();
    s3 = S3TestServer.start(dir, "lake");
  }

  @AfterAll
  static void stop() {
    s3.close();
    harness.close();
  }

  Map<String, String> s3Config(String topic, String dlq) {
    Map<String, String> c = harness.baseConfig(topic, "s3://lake/tables", dlq);
    c.put("s3.endpoint", s3.endpoint().toString());
    c.put("s3.region", S3TestServer.REGION);
    c.put("s3.access.key", S3TestServer.ACCESS_KEY);
    c.put("s3.secret.key", S3TestServer.SECRET_KEY);
    return c;
  }

  @Test
  void rawAndRefinedTablesInS3MatchTheOracle() throws Exception {
    String topic = KafkaTestCluster.uniqueTopic("facsimile.jira");
    String dlq = KafkaTestCluster.uniqueTopic("dlq");
    harness.kafka.createTopic(topic, 3);
    List<MergeSinkIT.Change> changes = MergeSinkIT.history(new Random(3), 40, 6);
    try (KafkaProducer<byte[], byte[]> producer = harness.kafka.producer()) {
      MergeSinkIT.send(producer, harness.encoder, topic, changes);
    }
    Map<String, String> raw = s3Config(topic, dlq);
    raw.put("writer.type", "Append");
    raw.put("domain", "jira");
    Map<String, String> refined = s3Config(topic, dlq);
    refined.put("writer.type", "Merge");
    refined.put("model", "jira_issue");
    refined.put("tasks.max", "2");
    refined.put("flush.max.records", "50");
    refined.put("merge.mode", "copy_on_write");
    // The default mode: new rows in new files, replaced rows marked in deletion vectors stored in S3.
    Map<String, String> mergeOnRead = new java.util.HashMap<>(refined);
    mergeOnRead.remove("merge.mode");
    mergeOnRead.put("table.name", "jira_issue_mor");
    mergeOnRead.put("key.locator.dir", dir.resolve("locators").toString());
    harness.deploy("s3-raw", raw);
    harness.deploy("s3-refined", refined);
    harness.deploy("s3-refined-mor", mergeOnRead);

    TableStore store = S3TableStore.open(URI.create("s3://lake/tables"), new S3Settings(s3.endpoint().toString(),
        S3TestServer.REGION, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY, true));
    await().atMost(SinkHarness.deadline()).untilAsserted(() -> {
      harness.assertNoFailedTask("s3-raw");
      harness.assertNoFailedTask("s3-refined");
      harness.assertNoFailedTask("s3-refined-mor");
      assertThat(count(store, "raw_jira_issue")).isEqualTo(changes.size());
      assertThat(state(store, "jira_issue")).isEqualTo(MergeSinkIT.expectedIssueState(changes));
      assertThat(state(store, "jira_issue_mor")).isEqualTo(MergeSinkIT.expectedIssueState(changes));
    });
    try (S3Client client = s3.client()) {
      List<String> keys = new ArrayList<>();
      client.listObjectsV2Paginator(b -> b.bucket("lake").prefix("tables/jira_issue/")).contents().stream().map(S3Object::key).forEach(keys::add);
      assertThat(keys).anyMatch(k -> k.startsWith("tables/jira_issue/_delta_log/00000000000000000000.json"))
          .anyMatch(k -> k.startsWith("tables/jira_issue/workspace_id=w1/") && k.endsWith(".parquet"));
      List<String> morKeys = new ArrayList<>();
      client.listObjectsV2Paginator(b -> b.bucket("lake").prefix("tables/jira_issue_mor/")).contents().stream().map(S3Object::key)
          .forEach(morKeys::add);
      assertThat(morKeys).as("replaced rows are marked in deletion vectors next to the data")
          .anyMatch(k -> k.startsWith("tables/jira_issue_mor/deletion_vector_") && k.endsWith(".bin"));
    }
  }

  static int count(TableStore store, String table) {
    try {
      return TableScanner.readAll(DeltaTable.open(store, table)).size();
    } catch (io.delta.kernel.exceptions.TableNotFoundException notYet) {
      return 0;
    }
  }

  static Map<String, String> state(TableStore store, String table) {
    Map<String, String> state = new TreeMap<>();
    DeltaTable t;
    try {
      t = DeltaTable.open(store, table);
    } catch (io.delta.kernel.exceptions.TableNotFoundException notYet) {
      return state;
    }
    TableSchema schema = t.schema();
    for (Object[] row : TableScanner.readAll(t)) {
      state.put((String) row[schema.indexOf("resource_ari")], row[schema.indexOf("_version")] + "/" + row[schema.indexOf("status")]
          + "/" + row[schema.indexOf("labels")] + "/" + row[schema.indexOf("workspace_id")] + "/" + row[schema.indexOf("issue_id")]);
    }
    return state;
  }

}
