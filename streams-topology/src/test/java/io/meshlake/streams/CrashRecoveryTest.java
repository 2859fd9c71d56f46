package io.meshlake.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.meshlake.contracts.confluence.v1.ConfluencePage;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.jira.v1.JiraProject;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.manifest.ModelRef;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.testkit.KafkaTestCluster;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application as its own process on a real broker, killed with SIGKILL while input is still
 * arriving, then restarted: the model topics, read with read_committed, hold exactly the events
 * last-write-wins forwards for the produced input, none stale, none lost, none twice.
 */
class CrashRecoveryTest {

  private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);
  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final List<String> INPUTS = List.of("facsimile.jira", "facsimile.confluence");

  /** One produced input record; {@code seq} is written into the payload to recognise it downstream. */
  record Delivery(int seq, String topic, byte[] key, byte[] value, FacsimileRecord envelope, DlqReason expectedReason) {}

  @Test
  void killedMidStreamAndRestartedTheModelTopicsHoldExactlyTheWinners() throws Exception {
    Path workDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "crash-recovery")), "run-");
    long seed = System.nanoTime();
    LOG.info("crash recovery workload seed {}", seed);
    try (KafkaTestCluster cluster = KafkaTestCluster.builder().name("crash").start();
        SchemaRegistryServer registry = TestRegistry.start(cluster, 0);
        KafkaProducer<byte[], byte[]> producer = cluster.producer()) {
      TestTopics.create(cluster, "facsimile.jira", 3);
      TestTopics.create(cluster, "facsimile.confluence", 2);
      List<Delivery> deliveries = workload(new Envelopes(registry.url()), new Random(seed));
      String applicationId = KafkaTestCluster.uniqueTopic("crash-app");
      Path config = writeConfig(workDir, cluster, registry.url(), applicationId);
      Map<String, Integer> partitionByKey = new ConcurrentHashMap<>();

      int phaseA = deliveries.size() * 2 / 5;
      int phaseB = deliveries.size() * 4 / 5;
      produce(producer, deliveries.subList(0, phaseA), partitionByKey);
      Process first = startApp(config, workDir.resolve("first.log"));
      long lagAtKill;
      long committedAtKill;
      CompletableFuture<Void> live = CompletableFuture.runAsync(() -> produce(producer, deliveries.subList(phaseA, phaseB), partitionByKey));
      try {
        awaitCommitted(cluster, applicationId, 300, first, workDir.resolve("first.log"));
        lagAtKill = InputLag.of(cluster.admin(), applicationId, INPUTS);
        committedAtKill = committedOffsets(cluster, applicationId).values().stream().mapToLong(OffsetAndMetadata::offset).sum();
      } finally {
        first.destroyForcibly();
      }
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
      live.join();
      LOG.info("killed the first instance after it committed {} input records, with {} not yet committed", committedAtKill, lagAtKill);
      assertThat(committedAtKill).as("the first instance had committed output before the kill").isPositive();
      assertThat(lagAtKill).as("the kill happened mid-stream, with input not yet processed").isPositive();
      produce(producer, deliveries.subList(phaseB, deliveries.size()), partitionByKey);

      Process second = startApp(config, workDir.resolve("second.log"));
      try {
        InputLag.awaitZero(cluster.admin(), applicationId, INPUTS, DEADLINE, () -> "second instance log: " + tail(workDir.resolve("second.log")));
      } finally {
        second.destroy();
        second.waitFor(60, TimeUnit.SECONDS);
        second.destroyForcibly();
      }

      Map<String, Map<String, List<Integer>>> expected = expectedModelOutput(deliveries);
      for (String model : expected.keySet()) {
        Map<String, List<Integer>> actual = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : cluster.readAll(model)) {
          String key = new String(r.key(), StandardCharsets.UTF_8);
          actual.computeIfAbsent(key, k -> new ArrayList<>()).add(seqOf(Forwarded.envelope(r.value())));
          assertThat(r.partition()).as("%s of %s in its input partition", model, key).isEqualTo(partitionByKey.get(key));
        }
        assertThat(actual).as(model).isEqualTo(expected.get(model));
      }
      List<String> deadLetters = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> letter : cluster.readAll(List.of("dlq.jira", "dlq.confluence"), Duration.ofMinutes(1))) {
        deadLetters.add(identity(letter.key(), letter.value()) + " " + Forwarded.header(letter.headers(), DeadLetters.REASON));
      }
      List<String> expectedLetters = deliveries.stream().filter(d -> d.expectedReason() != null)
          .map(d -> identity(d.key(), d.value()) + " " + d.expectedReason()).toList();
      assertThat(deadLetters).containsExactlyInAnyOrderElementsOf(expectedLetters);
    }
  }

  /**
   * Changes of 50 entities (issues feed three models, projects one, pages two): versions rise, some
   * generations restart the version count, some changes delete; then redeliveries and local reorderings,
   * as the bus produces them, and the bad-input corpus mixed in.
   */
  private static List<Delivery> workload(Envelopes envelopes, Random random) {
    record Change(EntityManifest manifest, String id, long generation, long version, boolean tombstone) {}
    List<EntityManifest> kinds = List.of(Envelopes.ISSUE, Envelopes.PROJECT, Envelopes.PAGE);
    Map<String, long[]> clock = new HashMap<>();
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < 2_400; i++) {
      EntityManifest manifest = kinds.get(random.nextInt(kinds.size()));
      String id = manifest.messageName() + "-" + random.nextInt(manifest == Envelopes.PROJECT ? 8 : 21);
      long[] gv = clock.computeIfAbsent(manifest.entity() + id, k -> new long[] {0, 0});
      if (random.nextInt(20) == 0) {
        gv[0]++;
        gv[1] = 0;
      }
      gv[1]++;
      changes.add(new Change(manifest, id, gv[0], gv[1], random.nextInt(14) == 0));
    }
    for (int i = 0; i + 1 < changes.size(); i++) {
      if (random.nextInt(5) == 0) {
        int j = Math.min(changes.size() - 1, i + 1 + random.nextInt(3));
        Change swapped = changes.get(i);
        changes.set(i, changes.get(j));
        changes.set(j, swapped);
      }
    }
    List<Change> delivered = new ArrayList<>();
    for (Change change : changes) {
      delivered.add(change);
      if (random.nextInt(7) == 0) {
        delivered.add(delivered.get(random.nextInt(delivered.size())));
      }
    }

    List<Delivery> deliveries = new ArrayList<>();
    for (Change c : delivered) {
      int seq = deliveries.size();
      FacsimileRecord envelope = Envelopes.envelope(c.manifest(), "crash", c.id(), c.generation(), c.version(), entity(c.manifest(), c.id(), seq))
          .setIsTombstone(c.tombstone()).build();
      String topic = TopicNames.ingress(c.manifest().domain());
      deliveries.add(new Delivery(seq, topic, Envelopes.key(envelope), envelopes.encode(topic, envelope), envelope, null));
    }
    for (BadInputCorpus.Case bad : BadInputCorpus.cases(envelopes, "crash-bad")) {
      int at = random.nextInt(deliveries.size());
      deliveries.add(at, new Delivery(-1, BadInputCorpus.TOPIC, bad.key(), bad.value(), null, bad.reason()));
    }
    return deliveries;
  }

  private static Message entity(EntityManifest manifest, String id, int seq) {
    String tag = Integer.toString(seq);
    if (manifest == Envelopes.ISSUE) {
      return JiraIssue.newBuilder().setIssueId(id).setSummary(tag).addLabels("l").build();
    }
    if (manifest == Envelopes.PROJECT) {
      return JiraProject.newBuilder().setProjectId(id).setName(tag).build();
    }
    return ConfluencePage.newBuilder().setPageId(id).setTitle(tag).build();
  }

  private static int seqOf(FacsimileRecord envelope) {
    Any entity = envelope.getEntity();
    try {
      if (entity.is(JiraIssue.class)) {
        return Integer.parseInt(entity.unpack(JiraIssue.class).getSummary());
      }
      if (entity.is(JiraProject.class)) {
        return Integer.parseInt(entity.unpack(JiraProject.class).getName());
      }
      return Integer.parseInt(entity.unpack(ConfluencePage.class).getTitle());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** Per model topic and key, the seqs last-write-wins forwards: each strictly above the key's best so far. */
  private static Map<String, Map<String, List<Integer>>> expectedModelOutput(List<Delivery> deliveries) {
    Map<String, Map<String, List<Integer>>> expected = new HashMap<>();
    Map<String, long[]> best = new HashMap<>();
    for (EntityManifest m : List.of(Envelopes.ISSUE, Envelopes.PROJECT, Envelopes.PAGE)) {
      m.models().forEach(model -> expected.put(TopicNames.model(model.name()), new HashMap<>()));
    }
    for (Delivery d : deliveries) {
      if (d.envelope() == null) {
        continue;
      }
      String key = d.envelope().getResourceAri().getValue();
      long g = d.envelope().getGenerationWatermark();
      long v = d.envelope().getVersion();
      long[] top = best.get(key);
      if (top != null && (g < top[0] || (g == top[0] && v <= top[1]))) {
        continue;
      }
      best.put(key, new long[] {g, v});
      EntityManifest manifest = Envelopes.CATALOG.byEntityType(d.envelope().getEntityType()).orElseThrow();
      for (ModelRef model : manifest.models()) {
        expected.get(TopicNames.model(model.name())).computeIfAbsent(key, k -> new ArrayList<>()).add(d.seq());
      }
    }
    return expected;
  }

  private static void produce(KafkaProducer<byte[], byte[]> producer, List<Delivery> deliveries, Map<String, Integer> partitionByKey) {
    try {
      for (Delivery d : deliveries) {
        RecordMetadata metadata = producer.send(new ProducerRecord<>(d.topic(), d.key(), d.value())).get();
        if (d.key() != null) {
          partitionByKey.put(new String(d.key(), StandardCharsets.UTF_8), metadata.partition());
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("producing the workload failed", e);
    }
  }

  /**
   * Waits until the instance has committed a few hundred input records, so the restarted instance must
   * restore real LWW state (tombstones included) from the changelog to decide on what follows.
   */
  private static void awaitCommitted(KafkaTestCluster cluster, String applicationId, long records, Process app, Path log)
      throws InterruptedException {
    long until = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      if (committedOffsets(cluster, applicationId).values().stream().mapToLong(OffsetAndMetadata::offset).sum() >= records) {
        return;
      }
      assertThat(app.isAlive()).as("the first instance is running; its log: %s", tail(log)).isTrue();
      assertThat(System.nanoTime()).as("the first instance commits within %s; its log: %s", DEADLINE, tail(log)).isLessThan(until);
      Thread.sleep(100);
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(KafkaTestCluster cluster, String group) {
    try {
      return cluster.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path writeConfig(Path dir, KafkaTestCluster cluster, String registryUrl, String applicationId) throws IOException {
    Properties props = new Properties();
    props.setProperty(StreamsTopologyConfig.BOOTSTRAP_SERVERS, cluster.bootstrapServers());
    props.setProperty(StreamsTopologyConfig.SCHEMA_REGISTRY_URL, registryUrl);
    props.setProperty(StreamsTopologyConfig.APPLICATION_ID, applicationId);
    props.setProperty(StreamsTopologyConfig.STATE_DIR, dir.resolve("state").toAbsolutePath().toString());
    props.setProperty(StreamsTopologyConfig.HTTP_HOST, "127.0.0.1");
    props.setProperty(StreamsTopologyConfig.HTTP_PORT, "0");
    // The killed member never leaves the group: its partitions move to the new instance after its session times out.
    props.setProperty("streams.session.timeout.ms", "6000");
    props.setProperty("streams.heartbeat.interval.ms", "1000");
    Path file = dir.resolve("streams.properties");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      props.store(out, "crash recovery test");
    }
    return file;
  }

  /** {@code java -cp <test classpath> io.meshlake.streams.StreamsTopologyMain <config>}, its output in a file. */
  private static Process startApp(Path config, Path log) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC", "-Dlog4j2.configurationFile=log4j2-test.xml",
        "-cp", classpath, StreamsTopologyMain.class.getName(), config.toAbsolutePath().toString());
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static String identity(byte[] key, byte[] value) {
    Base64.Encoder b64 = Base64.getEncoder();
    return (key == null ? "-" : b64.encodeToString(key)) + "/" + (value == null ? "-" : b64.encodeToString(value));
  }
}
