package io.meshlake.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlake.testkit.ConnectTestWorker;
import io.meshlake.testkit.KafkaRegions;
import io.meshlake.testkit.KafkaTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole path on three real clusters: ingress → router → MirrorMaker 2 (one Connect worker per
 * region) → regional clusters. 200 workspaces split between eu and us, 100,000 events over two
 * domains; some workspaces get their residency only after their events arrived.
 */
class RegionRoutingIT {

  private static final List<String> DOMAINS = List.of("jira", "confluence");
  private static final int WORKSPACES = 200;
  private static final int UNASSIGNED_AT_FIRST = 20;
  private static final int ENTITIES = 25;
  private static final int VERSIONS = 10;
  private static final int EVENTS = DOMAINS.size() * WORKSPACES * ENTITIES * VERSIONS; // 100,000
  private static final int MISMATCHED = 10;
  private static final Pattern WORKSPACE_ID = Pattern.compile("ws-\\d{3}");
  private static final Duration PATIENCE = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static KafkaRegions clusters;
  private static final List<ConnectTestWorker> workers = new ArrayList<>();
  private static RegionRouterApp router;

  @BeforeAll
  static void startClusters() {
    clusters = KafkaRegions.start("ingress", "eu", "us");
  }

  @AfterAll
  static void stopEverything() {
    workers.forEach(ConnectTestWorker::close);
    if (router != null) {
      router.close();
    }
    clusters.close();
  }

  private static String workspace(int index) {
    return String.format("ws-%03d", index);
  }

  /** Even workspaces live in eu, odd ones in us. */
  private static String homeOf(int index) {
    return index % 2 == 0 ? "eu" : "us";
  }

  @Test
  void everyEventReachesItsWorkspacesHomeRegionOnlyExactlyOnceAndInOrder() throws Exception {
    KafkaTestCluster ingress = clusters.get("ingress");
    for (String domain : DOMAINS) {
      ingress.createTopic("facsimile." + domain, 3);
    }
    Path stateDir = Files.createDirectories(Path.of("target", "state", "routing-it-" + System.nanoTime()));
    RegionRouterConfig config = RegionRouterConfig.builder()
        .bootstrapServers(ingress.bootstrapServers())
        .region("eu", clusters.get("eu").bootstrapServers())
        .region("us", clusters.get("us").bootstrapServers())
        .sourceTopics(DOMAINS.stream().map(d -> "facsimile." + d).toList())
        .stateDir(stateDir)
        .httpHost("127.0.0.1")
        .httpPort(0)
        .mirrorProperty("replication.factor", "1")
        .build();

    Map<String, String> initial = new TreeMap<>();
    for (int i = 0; i < WORKSPACES - UNASSIGNED_AT_FIRST; i++) {
      initial.put(workspace(i), homeOf(i));
    }
    try (ResidencyAdmin admin = ResidencyAdmin.create(config)) {
      admin.assignAll(initial);
    }

    router = RegionRouterApp.start(config);
    router.awaitRunning(PATIENCE);
    for (String region : List.of("eu", "us")) {
      deployMirror(config, region);
    }

    Map<String, Integer> sequenceOfEvent = produceEvents(ingress);

    // The late workspaces' events wait in the router, visible on /held.
    int heldEach = DOMAINS.size() * ENTITIES * VERSIONS;
    await().atMost(PATIENCE).until(() -> router.metrics().heldEvents() == (long) UNASSIGNED_AT_FIRST * heldEach);
    JsonNode held = get("/held");
    assertThat(held.get("workspaces")).hasSize(UNASSIGNED_AT_FIRST);
    for (JsonNode entry : held.get("workspaces")) {
      assertThat(entry.get("workspace").asText()).isIn(lateWorkspaces());
      assertThat(entry.get("events").asLong()).isEqualTo(heldEach);
    }
    assertThat(get("/metrics").at("/held/events").asLong()).isEqualTo((long) UNASSIGNED_AT_FIRST * heldEach);

    Map<String, String> late = new TreeMap<>();
    for (int i = WORKSPACES - UNASSIGNED_AT_FIRST; i < WORKSPACES; i++) {
      late.put(workspace(i), homeOf(i));
    }
    try (ResidencyAdmin admin = ResidencyAdmin.create(config)) {
      admin.assignAll(late);
    }
    await().atMost(PATIENCE).until(() -> router.metrics().heldEvents() == 0);
    assertThat(router.metrics().released()).isGreaterThanOrEqualTo((long) UNASSIGNED_AT_FIRST * heldEach);

    List<String> regionalTopics = DOMAINS.stream().map(d -> "facsimile." + d).toList();
    for (String region : List.of("eu", "us")) {
      KafkaTestCluster cluster = clusters.get(region);
      await().atMost(PATIENCE).until(() -> ClusterScan.allTopics(cluster).containsAll(regionalTopics));
      assertThat(ClusterScan.awaitRecords(cluster, regionalTopics, EVENTS / 2, PATIENCE)).hasSizeGreaterThanOrEqualTo(EVENTS / 2);
    }

    for (String region : List.of("eu", "us")) {
      assertRegionHoldsExactlyItsOwnEvents(region, sequenceOfEvent);
    }
    List<ConsumerRecord<byte[], byte[]>> dlq = ingress.readAll(List.of("ingress.dlq.jira"), PATIENCE);
    assertThat(dlq).hasSize(MISMATCHED);
    assertThat(dlq).allSatisfy(r -> assertThat(new String(r.headers().lastHeader(RegionRouter.HEADER_REASON).value(),
        StandardCharsets.UTF_8)).isEqualTo("workspace_mismatch"));
    JsonNode metrics = get("/metrics");
    assertThat(metrics.at("/dlq/workspace_mismatch").asLong()).isEqualTo(MISMATCHED);
    assertThat(metrics.at("/routed/eu").asLong() + metrics.at("/routed/us").asLong()).isGreaterThanOrEqualTo(EVENTS);
  }

  private static Set<String> lateWorkspaces() {
    Set<String> late = new java.util.TreeSet<>();
    for (int i = WORKSPACES - UNASSIGNED_AT_FIRST; i < WORKSPACES; i++) {
      late.add(workspace(i));
    }
    return late;
  }

  /**
   * Scans every topic of the region's cluster: no record anywhere may mention a workspace of another
   * region; the regional facsimile topics hold each of the region's events exactly once, unchanged,
   * and in per-entity order.
   */
  private static void assertRegionHoldsExactlyItsOwnEvents(String region, Map<String, Integer> sequenceOfEvent)
      throws Exception {
    KafkaTestCluster cluster = clusters.get(region);
    Set<String> topics = ClusterScan.allTopics(cluster);
    assertThat(topics).contains("__consumer_offsets", "meshlake-mirror-" + region + "-offsets");
    Map<String, Integer> expected = new HashMap<>();
    sequenceOfEvent.forEach((event, seq) -> {
      if (homeOf(Integer.parseInt(event.substring(event.indexOf("ws-") + 3, event.indexOf("ws-") + 6))).equals(region)) {
        expected.put(event, seq);
      }
    });
    Map<String, Integer> seen = new HashMap<>();
    for (String topic : topics) {
      List<ConsumerRecord<byte[], byte[]>> records = cluster.readAll(List.of(topic), PATIENCE);
      Map<String, Long> lastVersion = new HashMap<>();
      for (ConsumerRecord<byte[], byte[]> record : records) {
        for (String mentioned : ClusterScan.workspacesMentioned(record, WORKSPACE_ID)) {
          assertThat(homeOf(Integer.parseInt(mentioned.substring(3))))
              .as("%s in %s's %s-%d@%d", mentioned, region, topic, record.partition(), record.offset())
              .isEqualTo(region);
        }
        if (!TopicNames.isFacsimileTopic(topic)) {
          continue;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        long version = Envelopes.versionOf(record.value());
        String event = key + "#" + version;
        assertThat(seen.merge(event, 1, Integer::sum)).as("copies of %s in %s", event, region).isEqualTo(1);
        assertThat(ByteBuffer.wrap(record.headers().lastHeader("seq").value()).getInt())
            .as("headers of %s", event).isEqualTo(expected.get(event));
        assertThat(record.value()).isEqualTo(Envelopes.value(TopicNames.domainOf(topic),
            Envelopes.workspaceOf(record.value()), key.substring(key.lastIndexOf('/') + 1), version));
        Long previous = lastVersion.put(key, version);
        assertThat(previous == null || previous < version).as("order of %s in %s", key, topic).isTrue();
      }
    }
    assertThat(seen.keySet()).as("events of %s's workspaces in %s", region, region).isEqualTo(expected.keySet());
  }

  /** Publishes the events (interleaved across workspaces, versions ascending) plus a few mismatched ones. */
  private static Map<String, Integer> produceEvents(KafkaTestCluster ingress) throws Exception {
    Map<String, Object> props = ingress.producerConfig();
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    Map<String, Integer> sequenceOfEvent = new LinkedHashMap<>();
    int seq = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (int version = 1; version <= VERSIONS; version++) {
        for (int entity = 0; entity < ENTITIES; entity++) {
          for (int ws = 0; ws < WORKSPACES; ws++) {
            for (String domain : DOMAINS) {
              String id = Integer.toString(entity);
              byte[] key = Envelopes.key(domain, workspace(ws), id);
              Headers headers = new RecordHeaders().add("seq", ByteBuffer.allocate(4).putInt(seq).array());
              producer.send(new ProducerRecord<>("facsimile." + domain, null, key,
                  Envelopes.value(domain, workspace(ws), id, version), headers));
              sequenceOfEvent.put(new String(key, StandardCharsets.UTF_8) + "#" + version, seq++);
            }
          }
        }
      }
      // The key names an eu workspace, the envelope a us one: neither region may see it.
      for (int i = 0; i < MISMATCHED; i++) {
        producer.send(new ProducerRecord<>("facsimile.jira", Envelopes.key("jira", workspace(0), "x" + i),
            Envelopes.value("jira", workspace(1), "x" + i, 1)));
      }
      producer.flush();
    }
    assertThat(sequenceOfEvent).hasSize(EVENTS);
    return sequenceOfEvent;
  }

  /** One Connect worker on the region's cluster running the region's MirrorSourceConnector. */
  private static void deployMirror(RegionRouterConfig config, String region) {
    Map<String, String> settings = MirrorConnectorConfigs.workerSettings(config, region);
    ConnectTestWorker.Builder builder = ConnectTestWorker.builder(clusters.get(region).bootstrapServers())
        .groupId(settings.get("group.id"));
    settings.forEach((key, value) -> {
      if (!key.equals("bootstrap.servers") && !key.equals("group.id")) {
        builder.property(key, value);
      }
    });
    ConnectTestWorker worker = builder.start();
    workers.add(worker);
    String name = MirrorConnectorConfigs.connectorName(region);
    ConnectTestWorker.ConnectRest.Response created = worker.rest().put("/connectors/" + name + "/config",
        MirrorConnectorConfigs.toJson(MirrorConnectorConfigs.forRegion(config, region)));
    assertThat(created.ok()).as(created.body()).isTrue();
    await().atMost(PATIENCE).untilAsserted(() -> {
      JsonNode status = JSON.readTree(worker.rest().get("/connectors/" + name + "/status").body());
      assertThat(status.at("/connector/state").asText()).isEqualTo("RUNNING");
      assertThat(status.get("tasks")).isNotEmpty();
      assertThat(status.get("tasks")).allSatisfy(t -> assertThat(t.get("state").asText()).isEqualTo("RUNNING"));
    });
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + router.httpPort() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
