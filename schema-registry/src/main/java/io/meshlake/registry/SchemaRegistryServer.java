package io.meshlake.registry;

import com.sun.net.httpserver.HttpServer;
import io.meshlake.registry.http.RestApi;
import io.meshlake.registry.store.RegistryState;
import io.meshlake.registry.store.SchemaLog;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running registry instance: the {@code _schemas} topic read to its end, then the REST API on
 * {@link #url()}. Embed it with {@code try (var server = SchemaRegistryServer.start(config)) {...}}.
 */
public final class SchemaRegistryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);

  private final RegistryConfig config;
  private final SchemaLog log;
  private final HttpServer http;
  private final ExecutorService executor;
  private final RegistryMetrics metrics;
  private final String url;
  private final AtomicBoolean closed = new AtomicBoolean();

  private SchemaRegistryServer(RegistryConfig config, SchemaLog log, HttpServer http, ExecutorService executor,
      RegistryMetrics metrics) {
    this.config = config;
    this.log = log;
    this.http = http;
    this.executor = executor;
    this.metrics = metrics;
    String host = config.listenHost().equals("0.0.0.0") || config.listenHost().equals("::")
        ? "localhost" : config.listenHost();
    this.url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + http.getAddress().getPort();
  }

  /**
   * Reads the topic to its end (creating it if missing), then serves HTTP. Returns once requests
   * are answered from the complete state.
   *
   * @throws IllegalStateException when Kafka cannot be reached within {@code startup.timeout.ms},
   *     the topic is unusable, or the port cannot be bound; the message says what to fix
   */
  public static SchemaRegistryServer start(RegistryConfig config) {
    RegistryState state = new RegistryState();
    RegistryMetrics metrics = new RegistryMetrics();
    SchemaLog log = SchemaLog.open(config, state);
    ExecutorService executor = null;
    try {
      HttpServer http;
      try {
        http = HttpServer.create(new InetSocketAddress(config.listenHost(), config.listenPort()), 64);
      } catch (BindException e) {
        throw new IllegalStateException("cannot listen on " + config.listenHost() + ":" + config.listenPort() + " ("
            + e.getMessage() + "): another process uses the port; set listen.port (MESHLAKE_REGISTRY_LISTEN_PORT)"
            + " to a free port", e);
      } catch (IOException e) {
        throw new IllegalStateException("cannot listen on " + config.listenHost() + ":" + config.listenPort() + ": "
            + e.getMessage() + "; check listen.host and listen.port", e);
      }
      AtomicInteger threads = new AtomicInteger();
      int port = http.getAddress().getPort();
      executor = Executors.newFixedThreadPool(config.httpThreads(), runnable -> {
        Thread thread = new Thread(runnable, "registry-" + port + "-http-" + threads.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      });
      http.setExecutor(executor);
      SchemaRegistry registry = new SchemaRegistry(config, state, log, metrics);
      http.createContext("/", new RestApi(registry, state, metrics));
      http.start();
      SchemaRegistryServer server = new SchemaRegistryServer(config, log, http, executor, metrics);
      LOG.info("schema registry serving {} from topic '{}' on {}", server.url(), config.topic(), config.bootstrapServers());
      return server;
    } catch (RuntimeException e) {
      if (executor != null) {
        executor.shutdownNow();
      }
      log.close();
      throw e;
    }
  }

  /** The base URL clients use, e.g. {@code http://localhost:8081} (a wildcard host shows as localhost). */
  public String url() {
    return url;
  }

  /** The port actually bound (useful with {@code listen.port=0}). */
  public int port() {
    return http.getAddress().getPort();
  }

  public RegistryConfig config() {
    return config;
  }

  /** This instance's counters (also served by {@code GET /metrics}). */
  public RegistryMetrics metrics() {
    return metrics;
  }

  /** Stops serving and disconnects from Kafka; a second call does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    http.stop(1);
    executor.shutdownNow();
    log.close();
    LOG.info("schema registry on {} stopped", url);
  }
}
