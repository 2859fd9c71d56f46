package io.meshlake.sink.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.sink.writer.MergeOnReadMerge;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableScanner;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import io.meshlake.testkit.KafkaTestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merge and MergeExploded on a real Connect worker: the refined tables equal an oracle computed
 * from the produced events, across several flushes, duplicates, stale updates, tombstones,
 * re-creations and a connector restart.
 */
class MergeSinkIT {

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

  /** One entity's change as produced, and what the oracle makes of a history of them. */
  record Change(String workspace, String id, long version, boolean tombstone, List<String> labels) {
    String ari() {
      return Events.ari(workspace, id);
    }
  }

  /**
   * A history per entity with increasing versions; delivered with duplicates and adjacent stale
   * updates (an update arriving after a newer one), never a stale event after a tombstone or after an
   * update that leaves no exploded rows (the streams topology's last-write-wins state guarantees
   * that upstream of the sink).
   */
  static List<Change> history(Random random, int entities, int eventsPerEntity) {
    List<List<Change>> perEntity = new ArrayList<>();
    for (int e = 0; e < entities; e++) {
      String ws = "w" + (e % 3);
      String id = "I-" + e;
      List<Change> changes = new ArrayList<>();
      long version = 1;
      for (int i = 0; i < eventsPerEntity; i++) {
        version += 1 + random.nextInt(3);
        boolean tombstone = random.nextInt(10) == 0;
        List<String> labels = new ArrayList<>();
        int n = random.nextInt(4);
        for (int l = 0; l < n; l++) {
          labels.add("label-" + random.nextInt(6));
        }
        changes.add(new Change(ws, id, version, tombstone, labels));
      }
      // an adjacent swap between two updates: the older one arrives late. Never after a tombstone
      // or after an update that empties the labels: both leave no row in the exploded table to guard
      // with, and the streams topology's last-write-wins state never forwards such a late event.
      int swap = random.nextInt(changes.size() - 1);
      if (!changes.get(swap).tombstone() && !changes.get(swap + 1).tombstone() && !changes.get(swap + 1).labels().isEmpty()) {
        Collections.swap(changes, swap, swap + 1);
      }
      // a duplicate delivery
      int dup = random.nextInt(changes.size());
      changes.add(dup + 1, changes.get(dup));
      perEntity.add(changes);
    }
    // interleave entities, keeping each entity's own order
    List<Change> all = new ArrayList<>();
    int[] next = new int[entities];
    while (all.size() < perEntity.stream().mapToInt(List::size).sum()) {
      int e = random.nextInt(entities);
      if (next[e] < perEntity.get(e).size()) {
        all.add(perEntity.get(e).get(next[e]++));
      }
    }
    return all;
  }

  /** For each entity, the change with the highest version (an independent, obvious computation). */
  static Map<String, Change> winners(List<Change> changes) {
    Map<String, Change> winners = new TreeMap<>();
    for (Change c : changes) {
      Change current = winners.get(c.ari());
      if (current == null || c.version() > current.version()) {
        winners.put(c.ari(), c);
      }
    }
    return winners;
  }

  static void send(KafkaProducer<byte[], byte[]> producer, String topic, List<Change> changes) {
    send(producer, harness.encoder, topic, changes);
  }

  static void send(KafkaProducer<byte[], byte[]> producer, io.meshlake.contracts.wire.ProtobufEncoder encoder, String topic,
      List<Change> changes) {
    for (Change c : changes) {
      JiraIssue issue = Events.issue(c.id(), c.version(), c.labels());
      FacsimileRecord record = Events.envelope(c.workspace(), c.id(), 1, c.version(), 0, c.tombstone(),
          c.tombstone() ? JiraIssue.newBuilder().setIssueId(c.id()).build() : issue);
      Events.send(producer, encoder, topic, record);
    }
    producer.flush();
  }

  static List<Object[]> rows(LocalTableStore store, String table) {
    try {
      return TableScanner.readAll(DeltaTable.open(store, table));
    } catch (io.delta.kernel.exceptions.TableNotFoundException notYet) {
      return List.of();
    }
  }

  /** The table's rows as "ari -> version/status/labels", comparable with the oracle. */
  static Map<String, String> issueState(LocalTableStore store, String table) {
    List<Object[]> rows = rows(store, table);
    if (rows.isEmpty()) {
      return Map.of();
    }
    TableSchema schema = DeltaTable.open(store, table).schema();
    Map<String, String> state = new TreeMap<>();
    for (Object[] row : rows) {
      String ari = (String) row[schema.indexOf("resource_ari")];
      String value = row[schema.indexOf("_version")] + "/" + row[schema.indexOf("status")] + "/" + row[schema.indexOf("labels")]
          + "/" + row[schema.indexOf("workspace_id")] + "/" + row[schema.indexOf("issue_id")];
      assertThat(state.put(ari, value)).as("one row per entity: " + ari).isNull();
    }
    return state;
  }

  static Map<String, String> expectedIssueState(List<Change> changes) {
    Map<String, String> expected = new TreeMap<>();
    winners(changes).forEach((ari, c) -> {
      if (!c.tombstone()) {
        JiraIssue issue = Events.issue(c.id(), c.version(), c.labels());
        expected.put(ari, c.version() + "/" + issue.getStatus().name().replace("ISSUE_STATUS_", "") + "/" + c.labels()
            + "/" + c.workspace() + "/" + c.id());
      }
    });
    return expected;
  }

  static Map<String, TreeSet<String>> labelState(LocalTableStore store, String table) {
    List<Object[]> rows = rows(store, table);
    Map<String, TreeSet<String>> state = new TreeMap<>();
    if (rows.isEmpty()) {
      return state;
    }
    TableSchema schema = DeltaTable.open(store, table).schema();
    for (Object[] row : rows) {
      String key = row[schema.indexOf("workspace_id")] + "/" + row[schema.indexOf("issue_id")];
      String child = row[schema.indexOf("label_position")] + "=" + row[schema.indexOf("label")] + "@v" + row[schema.indexOf("_version")];
      assertThat(state.computeIfAbsent(key, k -> new TreeSet<>()).add(child)).as("child once: " + key + " " + child).isTrue();
    }
    return state;
  }

  static Map<String, TreeSet<String>> expectedLabels(List<Change> changes) {
    Map<String, TreeSet<String>> expected = new TreeMap<>();
    winners(changes).forEach((ari, c) -> {
      if (!c.tombstone() && !c.labels().isEmpty()) {
        TreeSet<String> children = new TreeSet<>();
        for (int i = 0; i < c.labels().size(); i++) {
          children.add(i + "=" + c.labels().get(i) + "@v" + c.version());
        }
        expected.put(c.workspace() + "/" + c.id(), children);
      }
    });
    return expected;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"copy_on_write", "merge_on_read"})
  void refinedTablesEqualTheOracleAcrossFlushesAndARestart(String mode) throws Exception {
    String topic = KafkaTestCluster.uniqueTopic("model.jira_issue");
    String dlq = KafkaTestCluster.uniqueTopic("dlq.jira");
    harness.kafka.createTopic(topic, 4);
    LocalTableStore store = new LocalTableStore(lake.resolve(mode));
    Random random = new Random(7);
    List<Change> first = history(random, 60, 8);

    Map<String, String> merge = harness.baseConfig(topic, lake.resolve(mode).toString(), dlq);
    merge.put("merge.mode", mode);
    merge.put("compaction.small.files", "4");
    merge.put("writer.type", "Merge");
    merge.put("model", "jira_issue");
    merge.put("table.name", "issues");
    merge.put("tasks.max", "2");
    merge.put("flush.max.records", "97");
    Map<String, String> exploded = harness.baseConfig(topic, lake.resolve(mode).toString(), dlq);
    exploded.put("merge.mode", mode);
    exploded.put("compaction.small.files", "4");
    exploded.put("writer.type", "MergeExploded");
    exploded.put("model", "jira_issue_label");
    exploded.put("table.name", "issue_labels");
    exploded.put("flush.max.records", "131");

    try (KafkaProducer<byte[], byte[]> producer = harness.kafka.producer()) {
      harness.deploy("issues-" + mode, merge);
      harness.deploy("issue-labels-" + mode, exploded);
      send(producer, topic, first);
      await().atMost(SinkHarness.deadline()).untilAsserted(() -> {
        harness.assertNoFailedTask("issues-" + mode);
        harness.assertNoFailedTask("issue-labels-" + mode);
        assertThat(issueState(store, "issues")).isEqualTo(expectedIssueState(first));
        assertThat(labelState(store, "issue_labels")).isEqualTo(expectedLabels(first));
      });

      // Restart both connectors (tasks stop, new tasks resume from the tables' txn), then continue
      // the same entities' histories with newer versions.
      assertThat(harness.connect.rest().delete("/connectors/issues-" + mode).ok()).isTrue();
      assertThat(harness.connect.rest().delete("/connectors/issue-labels-" + mode).ok()).isTrue();
      List<Change> second = new ArrayList<>();
      for (Change c : history(random, 60, 4)) {
        second.add(new Change(c.workspace(), c.id(), c.version() + 1000, c.tombstone(), c.labels()));
      }
      send(producer, topic, second);
      harness.deploy("issues-" + mode, merge);
      harness.deploy("issue-labels-" + mode, exploded);
      List<Change> all = new ArrayList<>(first);
      all.addAll(second);
      await().atMost(SinkHarness.deadline()).untilAsserted(() -> {
        harness.assertNoFailedTask("issues-" + mode);
        harness.assertNoFailedTask("issue-labels-" + mode);
        assertThat(issueState(store, "issues")).isEqualTo(expectedIssueState(all));
        assertThat(labelState(store, "issue_labels")).isEqualTo(expectedLabels(all));
      });
    }
    assertThat(harness.kafka.readAll(dlq)).isEmpty();
    if (mode.equals("merge_on_read")) {
      DeltaTable table = DeltaTable.open(store, "issues");
      assertThat(table.deletionVectorsEnabled(table.latest())).isTrue();
    }
  }

  /**
   * A merge_on_read partition that goes quiet merges a tier of small files once it holds half
   * {@code compaction.small.files} (8): six flushes of ten new issues leave six files of one tier,
   * which a flush (waiting for eight) never merges; the task, called by Connect with no records,
   * does, and the table keeps every row.
   */
  @Test
  void aQuietMergeOnReadPartitionMergesItsNearlyFullTiers() throws Exception {
    String topic = KafkaTestCluster.uniqueTopic("model.jira_issue");
    String dlq = KafkaTestCluster.uniqueTopic("dlq.jira");
    harness.kafka.createTopic(topic, 1);
    Path dir = lake.resolve("quiet");
    LocalTableStore store = new LocalTableStore(dir);
    Map<String, String> merge = harness.baseConfig(topic, dir.toString(), dlq);
    merge.put("merge.mode", "merge_on_read");
    merge.put("writer.type", "Merge");
    merge.put("model", "jira_issue");
    merge.put("table.name", "issues");
    merge.put("tasks.max", "1");
    merge.put("flush.max.records", "10");
    List<Change> all = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = harness.kafka.producer()) {
      harness.deploy("quiet-issues", merge);
      for (int flush = 0; flush < 6; flush++) {
        List<Change> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          batch.add(new Change("w0", "I-" + (flush * 10 + i), 1, false, List.of()));
        }
        send(producer, topic, batch);
        all.addAll(batch);
        await().atMost(SinkHarness.deadline()).untilAsserted(() -> {
          harness.assertNoFailedTask("quiet-issues");
          assertThat(issueState(store, "issues")).isEqualTo(expectedIssueState(all));
        });
      }
      await().atMost(SinkHarness.deadline()).untilAsserted(() -> {
        DeltaTable table = DeltaTable.open(store, "issues");
        Map<Integer, Integer> filesPerTier = new TreeMap<>();
        table.files(table.latest(), Map.of(), f -> true)
            .forEach(f -> filesPerTier.merge(MergeOnReadMerge.tier(f.liveRecords(), 8), 1, Integer::sum));
        assertThat(filesPerTier.values()).as("live files per tier of live rows: %s", filesPerTier).allMatch(n -> n < 4);
      });
      assertThat(issueState(store, "issues")).isEqualTo(expectedIssueState(all));
      harness.assertNoFailedTask("quiet-issues");
    }
    assertThat(harness.kafka.readAll(dlq)).isEmpty();
  }

  static Map<String, String> counts(Map<String, ?> m) {
    Map<String, String> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, String.valueOf(v)));
    return out;
  }
}
