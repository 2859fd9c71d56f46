package io.meshlake.streams;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The real topology in a TopologyTestDriver (own application id and state directory), decoding through
 * a real registry over HTTP. Output topics are read incrementally: each read returns what is new.
 */
final class TopologyHarness implements AutoCloseable {

  static final Instant START = Instant.parse("2026-11-01T00:00:00Z");

  private final Path stateDir;
  private final TopologyTestDriver driver;
  private final Envelopes envelopes;
  private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
  private final Map<String, TestOutputTopic<byte[], byte[]>> outputs = new HashMap<>();

  TopologyHarness(String registryUrl) {
    this(registryUrl, Map.of());
  }

  /** @param settings extra {@link StreamsTopologyConfig} settings, e.g. tombstone.retention.ms */
  TopologyHarness(String registryUrl, Map<String, String> settings) {
    this(registryUrl, settings, Stores::persistentKeyValueStore);
  }

  /** @param stores the application's RocksDB stores, or in-memory ones where thousands of records must be fast */
  TopologyHarness(String registryUrl, Map<String, String> settings, Function<String, KeyValueBytesStoreSupplier> stores) {
    try {
      // Under target/, not the OS temp directory, which Kafka Streams warns may be cleared under it.
      this.stateDir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "driver-state")), "lww-driver-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> all = new HashMap<>(settings);
    all.put(StreamsTopologyConfig.BOOTSTRAP_SERVERS, "driver.invalid:9092");
    all.putIfAbsent(StreamsTopologyConfig.SCHEMA_REGISTRY_URL, registryUrl);
    all.put(StreamsTopologyConfig.APPLICATION_ID, "lww-driver-" + UUID.randomUUID());
    all.put(StreamsTopologyConfig.STATE_DIR, stateDir.toString());
    StreamsTopologyConfig config = StreamsTopologyConfig.of(all);
    EnvelopeDecoder decoder = new EnvelopeDecoder(new SchemaRegistryClient(config.schemaRegistryUrl()), config.registryRetryTimeout());
    Properties props = StreamsTopologyApp.streamsProperties(config);
    this.driver = new TopologyTestDriver(LwwTopology.build(config.catalog(), config.inputDomains(), decoder,
        config.tombstoneRetention(), config.tombstonePurgeInterval(), stores), props, START);
    this.envelopes = new Envelopes(registryUrl);
  }

  /** Encodes the envelope and pipes it to its domain's ingress topic, keyed by its ARI. */
  void send(FacsimileRecord record) {
    pipe(TopicNames.ingress(Envelopes.domainOf(record)), Envelopes.key(record),
        envelopes.encode(TopicNames.ingress(Envelopes.domainOf(record)), record));
  }

  void send(FacsimileRecord.Builder record) {
    send(record.build());
  }

  void pipe(String topic, byte[] key, byte[] value) {
    pipe(topic, new TestRecord<>(key, value));
  }

  void pipe(String topic, TestRecord<byte[], byte[]> record) {
    inputs.computeIfAbsent(topic, t -> driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()))
        .pipeInput(record);
  }

  /** Records written to the topic since the last read of it. */
  List<TestRecord<byte[], byte[]>> read(String topic) {
    return outputs.computeIfAbsent(topic, t -> driver.createOutputTopic(t, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        .readRecordsToList();
  }

  Envelopes envelopes() {
    return envelopes;
  }

  TopologyCounts counts() {
    return TopologyCounts.of(driver.metrics());
  }

  Map<MetricName, ? extends Metric> metrics() {
    return driver.metrics();
  }

  KeyValueStore<String, LwwState> states(String domain) {
    return driver.getKeyValueStore(LwwTopology.stateStore(domain));
  }

  void advanceWallClock(Duration duration) {
    driver.advanceWallClockTime(duration);
  }

  @Override
  public void close() {
    driver.close();
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
