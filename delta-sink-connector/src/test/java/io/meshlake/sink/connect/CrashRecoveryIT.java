package io.meshlake.sink.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufEncoder;
import io.meshlake.registry.RegistryConfig;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableScanner;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import io.meshlake.testkit.KafkaTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Connect worker runs in its own JVM and is killed with SIGKILL 20 times while it flushes and
 * commits; afterwards the raw table holds each event exactly once and the refined tables — one
 * copy-on-write, one merge-on-read — equal an independently computed oracle.
 */
class CrashRecoveryIT {

  static final int KILLS = 20;

  @TempDir Path dir;

  @Test
  void twentySigkillsLoseAndDuplicateNothing() throws Exception {
    Path lake = dir.resolve("lake");
    Files.createDirectories(lake);
    try (KafkaTestCluster kafka = KafkaTestCluster.builder().name("crash").start();
        SchemaRegistryServer registry = SchemaRegistryServer.start(RegistryConfig.builder()
            .bootstrapServers(kafka.bootstrapServers()).topic("_schemas").listenPort(0).build())) {
      String raw = "facsimile.jira";
      String model = "model.jira_issue";
      kafka.createTopic(raw, 4);
      kafka.createTopic(model, 4);
      ProtobufEncoder encoder = new ProtobufEncoder(new SchemaRegistryClient(registry.url()));
      Random random = new Random(20);
      List<MergeSinkIT.Change> produced = new ArrayList<>();

      WorkerProcess worker = WorkerProcess.start(dir, kafka.bootstrapServers(), "crash-connect", Map.of());
      deploy(worker, "raw", config(kafka, registry, raw, lake, "Append"));
      Map<String, String> copyOnWrite = config(kafka, registry, model, lake, "Merge");
      copyOnWrite.put("merge.mode", "copy_on_write");
      deploy(worker, "refined", copyOnWrite);
      Map<String, String> mergeOnRead = config(kafka, registry, model, lake, "Merge");
      mergeOnRead.put("merge.mode", "merge_on_read");
      mergeOnRead.put("table.name", "jira_issue_mor");
      mergeOnRead.put("compaction.small.files", "4");
      deploy(worker, "refined-mor", mergeOnRead);

      LocalTableStore store = new LocalTableStore(lake);
      Path rawLog = lake.resolve("raw_jira_issue/_delta_log");
      Path refinedLog = lake.resolve("jira_issue/_delta_log");
      long versionBase = 0;
      try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
        for (int kill = 1; kill <= KILLS; kill++) {
          // A round of changes for 80 entities, then kill the worker at a random moment while it
          // is committing them: right after a new log version appears, plus a random delay.
          List<MergeSinkIT.Change> round = new ArrayList<>();
          for (MergeSinkIT.Change c : MergeSinkIT.history(random, 80, 3)) {
            round.add(new MergeSinkIT.Change(c.workspace(), c.id(), c.version() + versionBase, c.tombstone(), c.labels()));
          }
          versionBase += 100;
          long rawBefore = versions(rawLog);
          long refinedBefore = versions(refinedLog);
          for (MergeSinkIT.Change c : round) {
            FacsimileRecord record = envelope(c);
            Events.send(producer, encoder, raw, record);
            Events.send(producer, encoder, model, record);
          }
          producer.flush();
          produced.addAll(round);
          await().atMost(Duration.ofMinutes(2)).until(() -> versions(rawLog) > rawBefore || versions(refinedLog) > refinedBefore);
          Thread.sleep(random.nextInt(400));
          worker.kill();
          worker = WorkerProcess.start(dir, kafka.bootstrapServers(), "crash-connect", Map.of());
        }
      }

      int expectedRaw = produced.size();
      try {
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
          assertThat(rawCount(store)).isEqualTo(expectedRaw);
          assertThat(MergeSinkIT.issueState(store, "jira_issue")).isEqualTo(MergeSinkIT.expectedIssueState(produced));
          assertThat(MergeSinkIT.issueState(store, "jira_issue_mor")).isEqualTo(MergeSinkIT.expectedIssueState(produced));
        });
      } finally {
        worker.close();
      }
      // Exactly once: every (partition, offset) of the raw topic is in the raw table once.
      DeltaTable rawTable = DeltaTable.open(store, "raw_jira_issue");
      TableSchema schema = rawTable.schema();
      Set<String> coordinates = new HashSet<>();
      List<Object[]> rows = TableScanner.readAll(rawTable);
      for (Object[] row : rows) {
        coordinates.add(row[schema.indexOf("_kafka_partition")] + "@" + row[schema.indexOf("_kafka_offset")]);
      }
      assertThat(rows).hasSize(expectedRaw);
      assertThat(coordinates).hasSize(expectedRaw);
      String log = Files.readString(dir.resolve("worker.log"));
      assertThat(log).doesNotContain("OutOfMemoryError");
      // Evidence that the kills interrupted real work: tasks resumed from the tables' txn after
      // restarts, and data files written by a batch whose commit never happened were left behind.
      long resumes = log.lines().filter(l -> l.contains("resumes at offset") && !l.contains("resumes at offset 0 ")).count();
      // (the raw table only: it never removes files, so every unreferenced file there is uncommitted)
      long orphans = orphanFiles(store, "raw_jira_issue");
      System.out.printf("crash test: %d kills, %d resumes from a recorded offset, %d uncommitted data files left for vacuum%n",
          KILLS, resumes, orphans);
      assertThat(resumes).isGreaterThanOrEqualTo(KILLS);
    }
  }

  /** Data files on disk that no commit references: written by a batch that was killed before committing. */
  static long orphanFiles(LocalTableStore store, String table) throws java.io.IOException {
    DeltaTable t = DeltaTable.open(store, table);
    Set<String> live = new HashSet<>();
    t.files(t.latest(), Map.of(), f -> true).forEach(f -> live.add(f.path()));
    Path root = store.root().resolve(table);
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .map(p -> root.relativize(p).toString()).filter(p -> !live.contains(p)).count();
    }
  }

  static FacsimileRecord envelope(MergeSinkIT.Change c) {
    JiraIssue issue = Events.issue(c.id(), c.version(), c.labels());
    return Events.envelope(c.workspace(), c.id(), 1, c.version(), 0, c.tombstone(),
        c.tombstone() ? JiraIssue.newBuilder().setIssueId(c.id()).build() : issue);
  }

  static int rawCount(LocalTableStore store) {
    try {
      return TableScanner.readAll(DeltaTable.open(store, "raw_jira_issue")).size();
    } catch (io.delta.kernel.exceptions.TableNotFoundException notYet) {
      return 0;
    }
  }

  static long versions(Path log) throws java.io.IOException {
    if (!Files.isDirectory(log)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(log)) {
      return files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).count();
    }
  }

  static Map<String, String> config(KafkaTestCluster kafka, SchemaRegistryServer registry, String topic, Path lake, String writer) {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", DeltaSinkConnector.class.getName());
    c.put("topics", topic);
    c.put("tasks.max", "2");
    c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("table.root", lake.toString());
    c.put("schema.registry.url", registry.url());
    c.put("writer.type", writer);
    if (writer.equals("Append")) {
      c.put("domain", "jira");
    } else {
      c.put("model", "jira_issue");
    }
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", "dlq.jira");
    c.put("errors.deadletterqueue.topic.replication.factor", "1");
    c.put("flush.max.records", "60");
    c.put("flush.interval.ms", "300");
    c.put("consumer.override.max.poll.records", "40");
    c.put("consumer.override.session.timeout.ms", "6000");
    c.put("consumer.override.heartbeat.interval.ms", "1000");
    return c;
  }

  static void deploy(WorkerProcess worker, String name, Map<String, String> config) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(worker.rest() + "/connectors/" + name + "/config"))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(SinkHarness.JSON.writeValueAsString(config))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
  }
}
