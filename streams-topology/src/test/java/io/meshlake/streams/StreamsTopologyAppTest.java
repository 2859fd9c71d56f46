package io.meshlake.streams;

import static io.meshlake.streams.Envelopes.issue;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.testkit.KafkaTestCluster;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;
import org.junit.jupiter.api.Test;

/** The embedded application on a real broker and a real registry: topics, DLQ, LWW, health, metrics, outages. */
class StreamsTopologyAppTest {

  private static final Duration DEADLINE = Duration.ofMinutes(3);
  private static final List<String> INPUTS = List.of("facsimile.jira", "facsimile.confluence");

  @Test
  void badInputIsDeadLetteredWinnersAreForwardedToTheInputsPartitionAndHealthAndMetricsSaySo() throws Exception {
    try (KafkaTestCluster cluster = KafkaTestCluster.builder().name("app").start();
        SchemaRegistryServer registry = TestRegistry.start(cluster, 0);
        KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
      TestTopics.create(cluster, "facsimile.jira", 3);
      TestTopics.create(cluster, "facsimile.confluence", 2);
      StreamsTopologyConfig config = config(cluster, registry.url(), Map.of());
      StreamsTopologyApp app = StreamsTopologyApp.start(config);
      try {
        app.awaitRunning(DEADLINE);
        JsonNode health = getJson(app, "/health", 200);
        assertThat(health.path("state").asText()).isEqualTo("RUNNING");
        TestTopics.awaitVisible(cluster, "model.jira_issue", "model.jira_issue_label", "model.jira_project", "dlq.jira",
            "model.confluence_page", "dlq.confluence");
        Map<String, Integer> partitions = TestTopics.partitionCounts(cluster);
        assertThat(partitions).containsEntry("model.jira_issue", 3).containsEntry("model.jira_issue_label", 3)
            .containsEntry("model.jira_project", 3).containsEntry("dlq.jira", 3)
            .containsEntry("model.confluence_page", 2).containsEntry("dlq.confluence", 2);

        Envelopes envelopes = new Envelopes(registry.url());
        List<BadInputCorpus.Case> cases = BadInputCorpus.cases(envelopes, "acme");
        Map<String, Integer> inputPartitionByKey = new HashMap<>();
        List<String> goodAris = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
          FacsimileRecord good = issue("acme", "good-" + i, 0, 1).build();
          send(producer, "facsimile.jira", Envelopes.key(good), envelopes.encode("facsimile.jira", good), inputPartitionByKey);
          goodAris.add(good.getResourceAri().getValue());
          send(producer, "facsimile.jira", cases.get(i).key(), cases.get(i).value(), inputPartitionByKey);
        }
        // One entity's history: v2, stale v1, duplicate v2, tombstone v3, stale v2 after the tombstone.
        for (FacsimileRecord e : List.of(issue("acme", "lww", 0, 2).build(), issue("acme", "lww", 0, 1).build(),
            issue("acme", "lww", 0, 2).build(), issue("acme", "lww", 0, 3).setIsTombstone(true).build(), issue("acme", "lww", 0, 2).build())) {
          send(producer, "facsimile.jira", Envelopes.key(e), envelopes.encode("facsimile.jira", e), inputPartitionByKey);
        }
        FacsimileRecord page = Envelopes.page("acme", "C-1", 0, 1).build();
        send(producer, "facsimile.confluence", Envelopes.key(page), envelopes.encode("facsimile.confluence", page), inputPartitionByKey);

        InputLag.awaitZero(cluster.admin(), config.applicationId(), INPUTS, DEADLINE, () -> "counts " + app.counts());

        List<ConsumerRecord<byte[], byte[]>> dlq = cluster.readAll("dlq.jira");
        Map<String, String> reasonByRecord = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> letter : dlq) {
          reasonByRecord.put(identity(letter.key(), letter.value()), Forwarded.header(letter.headers(), DeadLetters.REASON));
          if (letter.key() != null) {
            assertThat(letter.partition()).as("a keyed dead letter lands in its input's partition").isEqualTo(
                Integer.parseInt(Forwarded.header(letter.headers(), DeadLetters.PARTITION)));
          }
          assertThat(Forwarded.header(letter.headers(), DeadLetters.TOPIC)).isEqualTo("facsimile.jira");
        }
        Map<String, String> expectedReasons = new HashMap<>();
        cases.forEach(c -> expectedReasons.put(identity(c.key(), c.value()), c.reason().name()));
        assertThat(reasonByRecord).isEqualTo(expectedReasons);

        for (String model : List.of("model.jira_issue", "model.jira_issue_label", "model.jira_issue_custom_field")) {
          List<ConsumerRecord<byte[], byte[]>> out = cluster.readAll(model);
          Map<String, List<String>> byKey = new HashMap<>();
          for (ConsumerRecord<byte[], byte[]> r : out) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(Forwarded.order(r.value()));
            assertThat(r.partition()).as("%s of %s lands in its input partition", model, key).isEqualTo(inputPartitionByKey.get(key));
          }
          Map<String, List<String>> expected = new HashMap<>();
          goodAris.forEach(ari -> expected.put(ari, List.of("0/1")));
          expected.put("ari:cloud:jira:acme:issue/lww", List.of("0/2", "0/3T"));
          assertThat(byKey).as(model).isEqualTo(expected);
        }
        assertThat(cluster.readAll("model.confluence_page")).hasSize(1);
        assertThat(cluster.readAll("model.jira_project")).isEmpty();

        JsonNode metrics = getJson(app, "/metrics", 200);
        assertThat(metrics.path("forwarded").asLong()).isEqualTo(goodAris.size() + 2 + 1);
        assertThat(metrics.path("staleDropped").asLong()).isEqualTo(2);
        assertThat(metrics.path("duplicateDropped").asLong()).isEqualTo(1);
        assertThat(metrics.path("deadLettered").asLong()).isEqualTo(cases.size());
        assertThat(metrics.path("forwardedByModel").path("jira_issue_label").asLong()).isEqualTo(goodAris.size() + 2);
        assertThat(metrics.path("forwardedByModel").path("confluence_page_version").asLong()).isEqualTo(1);
      } finally {
        app.close();
        app.close();
      }
      assertThat(app.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    }
  }

  @Test
  void aRegistryOutageReplacesTheThreadAndTheRecordIsProcessedOnceTheRegistryIsBack() throws Exception {
    try (KafkaTestCluster cluster = KafkaTestCluster.builder().name("outage").start();
        KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
      TestTopics.create(cluster, "facsimile.jira", 1);
      TestTopics.create(cluster, "facsimile.confluence", 1);
      SchemaRegistryServer registry = TestRegistry.start(cluster, 0);
      int port = registry.port();
      Envelopes envelopes = new Envelopes(registry.url());
      List<FacsimileRecord> events = List.of(issue("acme", "I-1", 0, 1).build(), issue("acme", "I-2", 0, 1).build());
      for (FacsimileRecord e : events) {
        send(producer, "facsimile.jira", Envelopes.key(e), envelopes.encode("facsimile.jira", e), new HashMap<>());
      }
      String url = registry.url();
      registry.close();

      // A replaced thread's consumer does not leave the group: its partitions move once its session times out.
      StreamsTopologyConfig config = config(cluster, url, Map.of(StreamsTopologyConfig.REGISTRY_RETRY_TIMEOUT_MS, "500",
          "streams.session.timeout.ms", "6000", "streams.heartbeat.interval.ms", "1000"));
      try (StreamsTopologyApp app = StreamsTopologyApp.start(config)) {
        awaitThreadReplaced(app);
        assertThat(InputLag.of(cluster.admin(), config.applicationId(), List.of("facsimile.jira"))).isEqualTo(events.size());

        try (SchemaRegistryServer back = TestRegistry.start(cluster, port)) {
          InputLag.awaitZero(cluster.admin(), config.applicationId(), INPUTS, DEADLINE, () -> "counts " + app.counts());
          assertThat(cluster.readAll("model.jira_issue")).hasSize(events.size());
          assertThat(cluster.readAll("dlq.jira")).isEmpty();
          assertThat(app.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
      }
    }
  }

  /** A replaced stream thread gets the next thread index: StreamThread-2 exists only after a replacement. */
  private static void awaitThreadReplaced(StreamsTopologyApp app) throws InterruptedException {
    long until = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      try {
        if (app.state() == KafkaStreams.State.RUNNING || app.state() == KafkaStreams.State.REBALANCING) {
          for (ThreadMetadata thread : app.localThreads()) {
            if (thread.threadName().endsWith("StreamThread-2")) {
              return;
            }
          }
        }
      } catch (IllegalStateException notRunningYet) {
        // metadata is only available once started
      }
      assertThat(System.nanoTime()).as("a stream thread replaced after the registry outage").isLessThan(until);
      Thread.sleep(200);
    }
  }

  static StreamsTopologyConfig config(KafkaTestCluster cluster, String registryUrl, Map<String, String> extra) throws Exception {
    Map<String, String> settings = new HashMap<>(extra);
    settings.put(StreamsTopologyConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
    settings.put(StreamsTopologyConfig.SCHEMA_REGISTRY_URL, registryUrl);
    settings.put(StreamsTopologyConfig.APPLICATION_ID, KafkaTestCluster.uniqueTopic("lww-app"));
    settings.put(StreamsTopologyConfig.STATE_DIR,
        Files.createTempDirectory(Files.createDirectories(Path.of("target", "app-state")), "app-").toString());
    settings.put(StreamsTopologyConfig.HTTP_HOST, "127.0.0.1");
    settings.put(StreamsTopologyConfig.HTTP_PORT, "0");
    return StreamsTopologyConfig.of(settings);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, byte[] key, byte[] value,
      Map<String, Integer> partitionByKey) throws Exception {
    RecordMetadata metadata = producer.send(new ProducerRecord<>(topic, key, value)).get();
    if (key != null) {
      partitionByKey.put(new String(key, StandardCharsets.UTF_8), metadata.partition());
    }
  }

  private static JsonNode getJson(StreamsTopologyApp app, String path, int status) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(app.httpUrl().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path).isEqualTo(status);
    return new ObjectMapper().readTree(response.body());
  }

  private static String identity(byte[] key, byte[] value) {
    Base64.Encoder b64 = Base64.getEncoder();
    return (key == null ? "-" : b64.encodeToString(key)) + "/" + (value == null ? "-" : b64.encodeToString(value));
  }
}
