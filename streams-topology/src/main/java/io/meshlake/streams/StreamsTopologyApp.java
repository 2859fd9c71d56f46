package io.meshlake.streams;

import io.meshlake.contracts.registry.SchemaRegistryClient;
import java.net.URI;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LWW dedup and fan-out application, embeddable ({@link #start}) and run by {@link StreamsTopologyMain}.
 * Start checks and creates the topics, then runs Kafka Streams with exactly_once_v2 and serves
 * {@code /health} and {@code /metrics}.
 */
public final class StreamsTopologyApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsTopologyApp.class);
  private static final Set<KafkaStreams.State> TERMINAL = EnumSet.of(
      KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_SHUTDOWN, KafkaStreams.State.NOT_RUNNING);

  private final StreamsTopologyConfig config;
  private final KafkaStreams streams;
  private final Object stateLock = new Object();
  private final AtomicBoolean closed = new AtomicBoolean();
  private StatusHttpServer http;
  private volatile Throwable fatalError;

  private StreamsTopologyApp(StreamsTopologyConfig config, Topology topology, Properties properties) {
    this.config = config;
    this.streams = new KafkaStreams(topology, properties);
  }

  /**
   * Checks the topics (creating missing model and DLQ topics) and starts processing.
   *
   * @throws IllegalStateException when a topic is missing or has the wrong partition count, or the
   *     HTTP port is taken; nothing keeps running then
   */
  public static StreamsTopologyApp start(StreamsTopologyConfig config) {
    config.warnings().forEach(LOG::warn);
    Properties properties = streamsProperties(config);
    try (Admin admin = Admin.create(new StreamsConfig(properties).getAdminConfigs("meshlake-streams-provisioner"))) {
      new TopicProvisioner(admin, config).provision();
    }
    EnvelopeDecoder decoder = new EnvelopeDecoder(new SchemaRegistryClient(config.schemaRegistryUrl()), config.registryRetryTimeout());
    Topology topology = LwwTopology.build(config.catalog(), config.inputDomains(), decoder, config.tombstoneRetention(),
        config.tombstonePurgeInterval());
    StreamsTopologyApp app = new StreamsTopologyApp(config, topology, properties);
    app.streams.setStateListener((now, before) -> app.onStateChange(now));
    app.streams.setUncaughtExceptionHandler(app::onUncaughtException);
    try {
      app.http = StatusHttpServer.start(config.httpHost(), config.httpPort(), app.streams::state, app::counts);
      app.streams.start();
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
    LOG.info("streams-topology {} started for domains {}; health at {}/health", config.applicationId(), config.inputDomains(),
        app.httpUrl());
    return app;
  }

  /**
   * Kafka Streams commits exactly-once transactions every 100 ms by default. Each commit flushes the
   * producer and waits for the broker; on a loaded machine the stream thread spent a fifth of its time
   * there and fell behind 10,000 events/s. Committing each second made the topology's share of freshness
   * smaller in every comparison, up to several times (benchmarks/RESULTS.md, "Round F"); a record waits for the
   * next commit, half a second on average. {@code streams.commit.interval.ms} overrides it.
   */
  static final long DEFAULT_COMMIT_INTERVAL_MS = 1_000;

  /**
   * The topology writes each event again to every model topic and to its state's changelog. With
   * Kafka's defaults (uncompressed, 16 KiB batches) that was ~107 records per produce request; in lz4
   * batches of up to 256 KiB (the events themselves arrive lz4-compressed) ~2,700, and the broker's CPU
   * at 10,000 events/s halved (benchmarks/RESULTS.md, "Round K"). It does not by itself keep the
   * topology ahead of 10,000 events/s on a saturated 2-core machine. {@code streams.compression.type}
   * / {@code streams.batch.size} (or their {@code producer.} forms) override them.
   */
  static final Map<String, Object> DEFAULT_PRODUCER_SETTINGS = Map.of(
      ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
      ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);

  static Properties streamsProperties(StreamsTopologyConfig config) {
    Properties props = new Properties();
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, DEFAULT_COMMIT_INTERVAL_MS);
    Map<String, String> overrides = config.streamsOverrides();
    DEFAULT_PRODUCER_SETTINGS.forEach((key, value) -> {
      if (!overrides.containsKey(key) && !overrides.containsKey(StreamsConfig.producerPrefix(key))) {
        props.put(StreamsConfig.producerPrefix(key), value);
      }
    });
    props.putAll(overrides);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.numStreamThreads());
    props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.numStandbyReplicas());
    config.stateDir().ifPresent(dir -> props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString()));
    return props;
  }

  private StreamThreadExceptionResponse onUncaughtException(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof RegistryUnavailableException) {
        // Not bad input: a new thread resumes from the last committed offset and tries the record again.
        LOG.warn("replacing the stream thread: {}", cause.getMessage());
        return StreamThreadExceptionResponse.REPLACE_THREAD;
      }
    }
    LOG.error("stopping streams-topology after an unexpected error", error);
    fatalError = error;
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  private void onStateChange(KafkaStreams.State now) {
    LOG.info("streams-topology state {}", now);
    synchronized (stateLock) {
      stateLock.notifyAll();
    }
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  /**
   * Waits until Kafka Streams is RUNNING (tasks assigned, state restored).
   *
   * @throws IllegalStateException if it stops or fails instead, or the timeout passes
   */
  public void awaitRunning(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stateLock) {
      while (true) {
        KafkaStreams.State state = streams.state();
        if (state == KafkaStreams.State.RUNNING) {
          return;
        }
        if (TERMINAL.contains(state)) {
          throw new IllegalStateException("streams-topology is " + state + ", not RUNNING"
              + (fatalError == null ? "" : ": " + fatalError), fatalError);
        }
        long remainingMs = (deadline - System.nanoTime()) / 1_000_000;
        if (remainingMs <= 0) {
          throw new IllegalStateException("streams-topology did not reach RUNNING within " + timeout + "; it is " + state);
        }
        stateLock.wait(Math.min(remainingMs, 1_000));
      }
    }
  }

  /** Blocks until Kafka Streams has stopped (closed or failed) and returns the final state, ERROR or NOT_RUNNING. */
  public KafkaStreams.State awaitTermination() throws InterruptedException {
    synchronized (stateLock) {
      while (streams.state() != KafkaStreams.State.ERROR && streams.state() != KafkaStreams.State.NOT_RUNNING) {
        stateLock.wait(1_000);
      }
      return streams.state();
    }
  }

  /** The stream threads of this instance and their tasks. */
  public Set<ThreadMetadata> localThreads() {
    return streams.metadataForLocalThreads();
  }

  /** The error that stopped the application, if one did. */
  public Throwable fatalError() {
    return fatalError;
  }

  /** Base URL of the health and metrics endpoint, with the port actually bound. */
  public URI httpUrl() {
    return http.url();
  }

  /** The forwarded, dropped and dead-lettered counts of the tasks this instance runs. */
  public TopologyCounts counts() {
    return TopologyCounts.of(streams.metrics());
  }

  public StreamsTopologyConfig config() {
    return config;
  }

  /** Kafka Streams' own metrics, including this topology's sensors (group {@value TopologyMetrics#GROUP}). */
  public Map<MetricName, ? extends Metric> metrics() {
    return streams.metrics();
  }

  /** Stops processing (committing what was processed) and the HTTP endpoint. Safe to call more than once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (!streams.close(Duration.ofSeconds(60))) {
      LOG.warn("Kafka Streams did not stop within 60 s");
    }
    if (http != null) {
      http.close();
    }
    synchronized (stateLock) {
      stateLock.notifyAll();
    }
  }
}
