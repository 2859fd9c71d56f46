package io.meshlake.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * {@code GET /health}: 200 while Kafka Streams is RUNNING or REBALANCING, 503 otherwise, with the state
 * as JSON (for liveness/readiness probes). {@code GET /metrics}: the topology's counters as JSON.
 */
final class StatusHttpServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final Supplier<KafkaStreams.State> state;
  private final Supplier<TopologyCounts> counts;

  private StatusHttpServer(HttpServer server, ExecutorService executor, Supplier<KafkaStreams.State> state,
      Supplier<TopologyCounts> counts) {
    this.server = server;
    this.executor = executor;
    this.state = state;
    this.counts = counts;
  }

  static StatusHttpServer start(String host, int port, Supplier<KafkaStreams.State> state, Supplier<TopologyCounts> counts) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + host + ":" + port + " (" + StreamsTopologyConfig.HTTP_HOST + ", "
          + StreamsTopologyConfig.HTTP_PORT + "): " + e.getMessage() + "; choose a free port, or 0 for any", e);
    }
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "meshlake-streams-http");
      t.setDaemon(true);
      return t;
    });
    StatusHttpServer status = new StatusHttpServer(server, executor, state, counts);
    server.createContext("/health", status::health);
    server.createContext("/metrics", status::metrics);
    server.setExecutor(executor);
    server.start();
    return status;
  }

  /** The base URL, e.g. {@code http://127.0.0.1:8080}, with the port actually bound. */
  URI url() {
    InetSocketAddress address = server.getAddress();
    String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + address.getPort());
  }

  private void health(HttpExchange exchange) throws IOException {
    if (!allowGet(exchange, "/health")) {
      return;
    }
    KafkaStreams.State current = state.get();
    boolean healthy = current == KafkaStreams.State.RUNNING || current == KafkaStreams.State.REBALANCING;
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", healthy ? "UP" : "DOWN");
    body.put("state", current.name());
    respond(exchange, healthy ? 200 : 503, body);
  }

  private void metrics(HttpExchange exchange) throws IOException {
    if (!allowGet(exchange, "/metrics")) {
      return;
    }
    respond(exchange, 200, counts.get());
  }

  /** Contexts match by prefix: only the exact path is served, and only to GET. */
  private static boolean allowGet(HttpExchange exchange, String path) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      respond(exchange, 404, Map.of("error", "not found; try GET /health or GET /metrics"));
      return false;
    }
    if ("GET".equals(exchange.getRequestMethod())) {
      return true;
    }
    exchange.getResponseHeaders().add("Allow", "GET");
    respond(exchange, 405, Map.of("error", "only GET is supported"));
    return false;
  }

  private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
