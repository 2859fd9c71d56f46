package io.meshlake.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlake.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The router as a separate process, killed abruptly mid-stream (SIGKILL) and started again: every
 * event ends up exactly once in its region's topic (read_committed), and events held for an
 * unassigned workspace survive the crash. Runs on the ingress cluster only: what MirrorMaker 2 does
 * with the router's committed output is {@link RegionRoutingIT}'s subject.
 */
class RouterRestartIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  private static final List<String> DOMAINS = List.of("jira", "confluence");
  private static final int WORKSPACES = 40;
  private static final int UNASSIGNED = 4;
  private static final int ENTITIES = 25;
  private static final int VERSIONS = 15;
  private static final int EVENTS = DOMAINS.size() * WORKSPACES * ENTITIES * VERSIONS; // 30,000
  private static final int BEFORE_KILL = EVENTS / 3;
  private static final Duration PATIENCE = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Process> processes = new ArrayList<>();
  private Path workDir;

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
  }

  private static String workspace(int index) {
    return String.format("ws-%03d", index);
  }

  private static String homeOf(int index) {
    return index % 2 == 0 ? "eu" : "us";
  }

  @Test
  void aRouterKilledMidStreamLosesAndDuplicatesNothing() throws Exception {
    workDir = Files.createDirectories(Path.of("target", "restart-it", Long.toString(System.nanoTime())));
    for (String domain : DOMAINS) {
      KAFKA.cluster().createTopic("facsimile." + domain, 3);
    }
    Properties props = new Properties();
    // bootstrap.servers comes from MESHLAKE_ROUTER_BOOTSTRAP_SERVERS, as in a container.
    props.setProperty("regions", "eu,us");
    // The router never connects to regional clusters (MirrorMaker does): these are never dialled.
    props.setProperty("region.eu.bootstrap.servers", "eu-kafka.invalid:9092");
    props.setProperty("region.us.bootstrap.servers", "us-kafka.invalid:9092");
    props.setProperty("source.topics", "facsimile.jira,facsimile.confluence");
    props.setProperty("state.dir", workDir.resolve("state").toAbsolutePath().toString());
    props.setProperty("http.host", "127.0.0.1");
    // A dead member leaves the group when its session times out: keep that short.
    props.setProperty("streams.consumer.session.timeout.ms", "6000");
    props.setProperty("streams.consumer.heartbeat.interval.ms", "1500");
    Path propsFile = workDir.resolve("router.properties");
    try (var out = Files.newOutputStream(propsFile)) {
      props.store(out, "RouterRestartIT");
    }

    RegionRouterConfig config = RegionRouterConfig.builder().bootstrapServers(KAFKA.bootstrapServers())
        .region("eu", "eu-kafka.invalid:9092").region("us", "us-kafka.invalid:9092").build();
    Map<String, String> residency = new TreeMap<>();
    for (int i = 0; i < WORKSPACES - UNASSIGNED; i++) {
      residency.put(workspace(i), homeOf(i));
    }
    try (ResidencyAdmin admin = ResidencyAdmin.create(config)) {
      admin.assignAll(residency);
    }

    List<ProducerRecord<byte[], byte[]>> events = events();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      int firstPort = freePort();
      Process first = startRouter(propsFile, firstPort, 1);
      awaitHealthy(first, firstPort);
      events.subList(0, BEFORE_KILL).forEach(producer::send);
      producer.flush();
      await().atMost(PATIENCE).until(() -> routed(firstPort) >= BEFORE_KILL / 4);

      // Kill it while it is still routing, with more events arriving meanwhile.
      CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> {
        events.subList(BEFORE_KILL, EVENTS).forEach(producer::send);
        producer.flush();
      });
      first.destroyForcibly();
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
      rest.get();

      int secondPort = freePort();
      Process second = startRouter(propsFile, secondPort, 2);
      awaitHealthy(second, secondPort);

      // The unassigned workspaces' events, held by the first process too, are all still held.
      long heldEach = (long) EVENTS / WORKSPACES;
      await().atMost(PATIENCE).untilAsserted(() -> {
        JsonNode held = get(secondPort, "/held").get("workspaces");
        assertThat(held).hasSize(UNASSIGNED);
        assertThat(held).allSatisfy(w -> assertThat(w.get("events").asLong()).isEqualTo(heldEach));
      });

      Map<String, String> late = new TreeMap<>();
      for (int i = WORKSPACES - UNASSIGNED; i < WORKSPACES; i++) {
        late.put(workspace(i), homeOf(i));
      }
      try (ResidencyAdmin admin = ResidencyAdmin.create(config)) {
        admin.assignAll(late);
      }
      await().atMost(PATIENCE).until(() -> get(secondPort, "/metrics").at("/held/events").asLong() == 0);
      await().atMost(PATIENCE).until(() -> committedCount() >= EVENTS);
      second.destroy(); // a clean stop this time
      assertThat(second.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    assertEachEventExactlyOnceInItsRegionInOrder();
  }

  private void assertEachEventExactlyOnceInItsRegionInOrder() {
    Map<String, Integer> copies = new HashMap<>();
    for (String region : List.of("eu", "us")) {
      for (String domain : DOMAINS) {
        String topic = TopicNames.regionTopic(region, "facsimile." + domain);
        Map<String, Long> lastVersion = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : KAFKA.cluster().readAll(List.of(topic), PATIENCE)) {
          String key = new String(record.key(), StandardCharsets.UTF_8);
          String workspace = Envelopes.workspaceOf(record.value());
          assertThat(homeOf(Integer.parseInt(workspace.substring(3)))).as("%s in %s", key, topic).isEqualTo(region);
          long version = Envelopes.versionOf(record.value());
          copies.merge(key + "#" + version, 1, Integer::sum);
          Long previous = lastVersion.put(key, version);
          assertThat(previous == null || previous < version).as("order of %s in %s", key, topic).isTrue();
        }
      }
    }
    assertThat(copies).hasSize(EVENTS);
    assertThat(copies.values()).allMatch(n -> n == 1);
    assertThat(KAFKA.cluster().readAll(List.of("ingress.dlq.jira", "ingress.dlq.confluence"), PATIENCE)).isEmpty();
  }

  private long committedCount() {
    List<String> topics = new ArrayList<>();
    for (String region : List.of("eu", "us")) {
      for (String domain : DOMAINS) {
        topics.add(TopicNames.regionTopic(region, "facsimile." + domain));
      }
    }
    return KAFKA.cluster().readAll(topics, PATIENCE).size();
  }

  private static List<ProducerRecord<byte[], byte[]>> events() {
    List<ProducerRecord<byte[], byte[]>> events = new ArrayList<>(EVENTS);
    for (int version = 1; version <= VERSIONS; version++) {
      for (int entity = 0; entity < ENTITIES; entity++) {
        for (int ws = 0; ws < WORKSPACES; ws++) {
          for (String domain : DOMAINS) {
            String id = Integer.toString(entity);
            events.add(new ProducerRecord<>("facsimile." + domain, Envelopes.key(domain, workspace(ws), id),
                Envelopes.value(domain, workspace(ws), id, version)));
          }
        }
      }
    }
    return events;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Map<String, Object> props = KAFKA.cluster().producerConfig();
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    return new KafkaProducer<>(props);
  }

  /** {@code java -cp <test classpath> io.meshlake.router.RegionRouterMain router.properties}, output to a file. */
  private Process startRouter(Path propsFile, int port, int generation) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx384m", "-XX:+UseSerialGC",
        "-Dlog4j2.configurationFile=log4j2-test.xml", "-cp", classpath, RegionRouterMain.class.getName(),
        propsFile.toString())
        .redirectErrorStream(true)
        .redirectOutput(workDir.resolve("router-" + generation + ".log").toFile());
    builder.environment().put("MESHLAKE_ROUTER_BOOTSTRAP_SERVERS", KAFKA.bootstrapServers());
    builder.environment().put("MESHLAKE_ROUTER_HTTP_PORT", Integer.toString(port));
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private void awaitHealthy(Process process, int port) {
    await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      assertThat(process.isAlive()).as("router process (see %s)", workDir).isTrue();
      assertThat(status(port, "/health")).isEqualTo(200);
    });
  }

  private static long routed(int port) throws Exception {
    JsonNode metrics = get(port, "/metrics");
    return metrics.at("/routed/eu").asLong() + metrics.at("/routed/us").asLong();
  }

  private static int status(int port, String path) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).GET()
            .build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
