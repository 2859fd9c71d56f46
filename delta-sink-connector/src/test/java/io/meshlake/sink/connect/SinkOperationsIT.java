package io.meshlake.sink.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.testkit.ConnectTestWorker;
import io.meshlake.testkit.KafkaTestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployment concerns on a real Connect worker: configuration validation, file ownership, checkpoints. */
class SinkOperationsIT {

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

  /** Errors Connect's validate endpoint reports, by setting name. */
  static Map<String, List<String>> validate(Map<String, String> config) throws Exception {
    ConnectTestWorker.ConnectRest.Response response = harness.connect.rest().put(
        "/connector-plugins/DeltaSinkConnector/config/validate", SinkHarness.JSON.writeValueAsString(config));
    assertThat(response.ok()).as(response.body()).isTrue();
    Map<String, List<String>> errors = new HashMap<>();
    for (JsonNode c : SinkHarness.JSON.readTree(response.body()).path("configs")) {
      List<String> messages = new ArrayList<>();
      c.path("value").path("errors").forEach(e -> messages.add(e.asText()));
      if (!messages.isEmpty()) {
        errors.put(c.path("value").path("name").asText(), messages);
      }
    }
    return errors;
  }

  @Test
  void badConfigurationsAreRefusedByTheValidateEndpointNamingTheSetting() throws Exception {
    Map<String, String> good = harness.baseConfig("t", lake.toString(), "dlq");
    good.put("writer.type", "Merge");
    good.put("model", "jira_issue");
    good.put("name", "validated");
    assertThat(validate(good)).isEmpty();

    Map<String, String> c = new HashMap<>(good);
    c.put("writer.type", "Upsert");
    assertThat(validate(c)).containsKey("writer.type");
    assertThat(validate(c).get("writer.type").get(0)).contains("Append, Merge, MergeExploded");

    c = new HashMap<>(good);
    c.put("model", "jira_epic");
    assertThat(validate(c).get("model")).singleElement().asString().contains("unknown model 'jira_epic'").contains("jira_issue_label");

    c = new HashMap<>(good);
    c.put("writer.type", "MergeExploded");
    assertThat(validate(c).get("writer.type")).singleElement().asString().contains("declared Merge");

    c = new HashMap<>(good);
    c.put("writer.type", "Append");
    c.remove("model");
    assertThat(validate(c).get("domain")).singleElement().asString().contains("needs the domain");

    c = new HashMap<>(good);
    c.put("table.root", "relative/dir");
    assertThat(validate(c).get("table.root")).singleElement().asString().contains("absolute");

    c = new HashMap<>(good);
    c.put("table.root", "hdfs://nn/lake");
    assertThat(validate(c).get("table.root")).singleElement().asString().contains("neither a local directory nor an s3");

    c = new HashMap<>(good);
    c.put("flush.max.records", "0");
    assertThat(validate(c)).containsKey("flush.max.records");

    c = new HashMap<>(good);
    c.put("compaction.max.time.share", "1.0");
    assertThat(validate(c).get("compaction.max.time.share")).singleElement().asString()
        .contains("compaction.max.time.share").contains("no more than 0.95");

    c = new HashMap<>(good);
    c.remove("schema.registry.url");
    assertThat(validate(c)).containsKey("schema.registry.url");

    c = new HashMap<>(good);
    c.put("errors.tolerance", "none");
    assertThat(validate(c).get("errors.tolerance")).anySatisfy(m -> assertThat(m).contains("dead-letter topic"));

    c = new HashMap<>(good);
    c.remove("errors.deadletterqueue.topic.name");
    assertThat(validate(c).get("errors.deadletterqueue.topic.name")).anySatisfy(m -> assertThat(m).contains("dlq.<domain>"));

    c = new HashMap<>(good);
    c.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    assertThat(validate(c).get("writer.type")).anySatisfy(m -> assertThat(m).contains("value.converter must be").contains("ByteArrayConverter"));

    c = new HashMap<>(good);
    c.put("s3.access.key", "AKIA");
    assertThat(validate(c).get("s3.secret.key")).singleElement().asString().contains("s3.secret.key is empty");

    // A connector created with a bad configuration is refused, not left failing.
    c = new HashMap<>(good);
    c.put("model", "jira_epic");
    c.put("name", "bad");
    ConnectTestWorker.ConnectRest.Response refused = harness.connect.rest().put("/connectors/bad/config", SinkHarness.JSON.writeValueAsString(c));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("unknown model 'jira_epic'");
  }

  @Test
  void concurrentTasksNeverAddOrRemoveTheSameFileAndCheckpointsAreWritten() throws Exception {
    String topic = KafkaTestCluster.uniqueTopic("model.jira_issue");
    harness.kafka.createTopic(topic, 4);
    Map<String, String> config = harness.baseConfig(topic, lake.toString(), KafkaTestCluster.uniqueTopic("dlq"));
    config.put("writer.type", "Merge");
    config.put("model", "jira_issue");
    config.put("table.name", "owned");
    config.put("tasks.max", "3");
    config.put("flush.max.records", "50");
    config.put("checkpoint.interval", "5");
    // small polls, so the partitions commit many times and ownership is exercised across many commits
    config.put("consumer.override.max.poll.records", "20");
    harness.deploy("owned", config);
    int entities = 120;
    try (KafkaProducer<byte[], byte[]> producer = harness.kafka.producer()) {
      for (int round = 1; round <= 6; round++) {
        for (int e = 0; e < entities; e++) {
          JiraIssue issue = Events.issue("I-" + e, round, List.of());
          Events.send(producer, harness.encoder, topic, Events.envelope("w" + (e % 4), "I-" + e, 1, round, 0, false, issue));
        }
        producer.flush();
      }
    }
    Path log = lake.resolve("owned/_delta_log");
    await().atMost(SinkHarness.deadline()).untilAsserted(() -> {
      harness.assertNoFailedTask("owned");
      assertThat(MergeSinkIT.issueState(new io.meshlake.table.storage.LocalTableStore(lake), "owned").values())
          .hasSize(entities).allSatisfy(v -> assertThat(v).startsWith("6/"));
    });

    // Read the log directly: which appId (txn) each commit carried, and which files it touched.
    Map<String, Set<String>> ownersByFile = new HashMap<>();
    Set<String> appIds = new HashSet<>();
    int commits = 0;
    try (Stream<Path> files = Files.list(log)) {
      for (Path commit : files.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json")).sorted().toList()) {
        commits++;
        String appId = null;
        List<String> touched = new ArrayList<>();
        Set<String> taggedOwners = new HashSet<>();
        for (String line : Files.readAllLines(commit)) {
          JsonNode action = SinkHarness.JSON.readTree(line);
          if (action.has("txn")) {
            appId = action.get("txn").get("appId").asText();
          }
          for (String kind : List.of("add", "remove")) {
            if (action.has(kind)) {
              touched.add(action.get(kind).get("path").asText());
              JsonNode owner = action.get(kind).path("tags").path(io.meshlake.sink.writer.OwnedTable.OWNER_TAG);
              if (!owner.isMissingNode()) {
                taggedOwners.add(owner.asText());
              }
            }
          }
        }
        if (appId != null) {
          appIds.add(appId);
          assertThat(taggedOwners).as("files of " + commit + " are tagged with its txn's appId").isSubsetOf(Set.of(appId));
        } else if (!touched.isEmpty()) {
          // merge_on_read's self-compaction records no offset: its files carry their one owner's tag
          assertThat(taggedOwners).as("a data file change without a txn has one owner in " + commit).hasSize(1);
          appId = taggedOwners.iterator().next();
        }
        for (String path : touched) {
          ownersByFile.computeIfAbsent(path, p -> new HashSet<>()).add(appId);
        }
      }
    }
    assertThat(appIds).as("one appId per partition").hasSize(4);
    assertThat(ownersByFile).isNotEmpty();
    assertThat(ownersByFile.values()).as("no data file added or removed by more than one owner").allSatisfy(o -> assertThat(o).hasSize(1));
    assertThat(commits).isGreaterThan(5);
    // Written in the background after the commits that call for them.
    await().atMost(SinkHarness.deadline())
        .untilAsserted(() -> assertThat(checkpoints(log)).as("a checkpoint every 5 commits").isNotEmpty());
  }

  static List<String> checkpoints(Path log) throws IOException {
    try (Stream<Path> files = Files.list(log)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(".checkpoint.")).toList();
    }
  }
}
