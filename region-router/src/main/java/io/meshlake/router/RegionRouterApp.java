package io.meshlake.router;

import java.time.Duration;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running router: topics prepared, the Kafka Streams application started, the health and metrics
 * endpoint listening. Embed it with {@code try (var router = RegionRouterApp.start(config)) {...}};
 * {@link RegionRouterMain} runs it as a process.
 */
public final class RegionRouterApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RegionRouterApp.class);

  private final RegionRouterConfig config;
  private final Admin admin;
  private final KafkaStreams streams;
  private final RouterMetrics metrics;
  private final RouterHttpServer http;
  private final ScheduledExecutorService topicRefresh;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final AtomicBoolean closed = new AtomicBoolean();

  private RegionRouterApp(RegionRouterConfig config, Admin admin, KafkaStreams streams, RouterMetrics metrics,
      RouterHttpServer http, ScheduledExecutorService topicRefresh) {
    this.config = config;
    this.admin = admin;
    this.streams = streams;
    this.metrics = metrics;
    this.http = http;
    this.topicRefresh = topicRefresh;
  }

  /**
   * Prepares the topics, starts routing and the HTTP endpoint. Returns without waiting for Kafka
   * Streams to be running: see {@link #awaitRunning}.
   *
   * @throws IllegalStateException when Kafka cannot be reached, a configured ingress topic is
   *     missing, the residency topic is not compacted, or the port cannot be bound; the message says what to fix
   */
  public static RegionRouterApp start(RegionRouterConfig config) {
    Admin admin = Admin.create(config.ingressClientConfig());
    KafkaStreams streams = null;
    RouterHttpServer http = null;
    ScheduledExecutorService refresh = null;
    try {
      RouterTopics topics = new RouterTopics(admin, config);
      topics.ensureControlTopics();
      Set<String> sources = topics.sourceTopics();
      topics.ensureOutputTopics(sources);

      RouterMetrics metrics = new RouterMetrics(config.regions(), new HeldWorkspaces());
      streams = new KafkaStreams(RegionRoutingTopology.build(config, metrics), streamsProperties(config));
      // A failure the stream thread cannot handle stops the router (health 503, the process exits):
      // a restart resumes from the last committed transaction without loss.
      streams.setUncaughtExceptionHandler(e -> {
        LOG.error("region router stops after an unrecoverable error", e);
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
      });
      KafkaStreams running = streams;
      http = RouterHttpServer.start(config.httpHost(), config.httpPort(), running::state, metrics);
      if (config.sourcePattern() != null) {
        refresh = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread thread = new Thread(r, "region-router-topics");
          thread.setDaemon(true);
          return thread;
        });
        long every = config.topicsRefreshInterval().toMillis();
        refresh.scheduleWithFixedDelay(() -> {
          try {
            topics.ensureOutputTopics(topics.sourceTopics());
          } catch (RuntimeException e) {
            LOG.warn("could not prepare the topics of new ingress topics; retrying in {} ms: {}", every, e.getMessage());
          }
        }, every, every, TimeUnit.MILLISECONDS);
      }
      RegionRouterApp app = new RegionRouterApp(config, admin, streams, metrics, http, refresh);
      streams.setStateListener((now, before) -> {
        LOG.info("region router {} -> {}", before, now);
        if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
          app.stopped.countDown();
        }
      });
      streams.start();
      LOG.info("region router started: {} routing {} to regions {}; health and metrics on port {}",
          config.applicationId(), sources.isEmpty() ? config.sourcePattern() : sources, config.regions(), http.port());
      return app;
    } catch (RuntimeException e) {
      if (refresh != null) {
        refresh.shutdownNow();
      }
      if (http != null) {
        http.close();
      }
      if (streams != null) {
        streams.close(Duration.ofSeconds(10));
      }
      admin.close(Duration.ofSeconds(5));
      throw e;
    }
  }

  static Properties streamsProperties(RegionRouterConfig config) {
    Properties props = new Properties();
    props.putAll(config.ingressProperties());
    props.putAll(config.streamsProperties());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
    props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class.getName());
    return props;
  }

  /**
   * Waits until Kafka Streams runs: the residency table is loaded and tasks are assigned.
   *
   * @throws IllegalStateException when the router stopped or failed instead, or did not get there in time
   */
  public void awaitRunning(Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (true) {
      KafkaStreams.State state = streams.state();
      if (state == KafkaStreams.State.RUNNING) {
        return;
      }
      if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.PENDING_ERROR
          || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_SHUTDOWN) {
        throw new IllegalStateException("the region router is " + state + " instead of RUNNING; see its log");
      }
      if (System.nanoTime() > until) {
        throw new IllegalStateException("the region router is still " + state + " after " + timeout);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for the region router", e);
      }
    }
  }

  /** Blocks until Kafka Streams stopped (closed or failed); returns its final state. */
  public KafkaStreams.State awaitStopped() throws InterruptedException {
    stopped.await();
    return streams.state();
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  public RouterMetrics metrics() {
    return metrics;
  }

  /** The port of the health and metrics endpoint (useful with {@code http.port=0}). */
  public int httpPort() {
    return http.port();
  }

  public RegionRouterConfig config() {
    return config;
  }

  /** Stops routing (committing what was processed) and the endpoint; a second call does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (topicRefresh != null) {
      topicRefresh.shutdownNow();
    }
    streams.close(Duration.ofSeconds(60));
    http.close();
    admin.close(Duration.ofSeconds(5));
    stopped.countDown();
    LOG.info("region router {} stopped", config.applicationId());
  }
}
