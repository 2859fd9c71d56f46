package io.meshlake.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The router's health and metrics endpoint: {@code GET /health} (200 while Kafka Streams runs or
 * rebalances, 503 otherwise), {@code GET /metrics} (JSON counters and gauges) and {@code GET /held}
 * (the workspaces whose events are held, with counts).
 */
final class RouterHttpServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer http;
  private final ExecutorService executor;

  private RouterHttpServer(HttpServer http, ExecutorService executor) {
    this.http = http;
    this.executor = executor;
  }

  static RouterHttpServer start(String host, int port, Supplier<KafkaStreams.State> state, RouterMetrics metrics) {
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (BindException e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + " (" + e.getMessage()
          + "): another process uses the port; set " + RegionRouterConfig.HTTP_PORT + " ("
          + RegionRouterConfig.envName(RegionRouterConfig.HTTP_PORT) + ") to a free port, or 0 for any", e);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage()
          + "; check " + RegionRouterConfig.HTTP_HOST + " and " + RegionRouterConfig.HTTP_PORT, e);
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
      Thread thread = new Thread(runnable, "region-router-http");
      thread.setDaemon(true);
      return thread;
    });
    http.setExecutor(executor);
    http.createContext("/health", exchange -> {
      KafkaStreams.State current = state.get();
      boolean healthy = current == KafkaStreams.State.RUNNING || current == KafkaStreams.State.REBALANCING;
      respond(exchange, healthy ? 200 : 503, Map.of("state", current.name()));
    });
    http.createContext("/metrics", exchange -> {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("state", state.get().name());
      json.putAll(metrics.toJson());
      respond(exchange, 200, json);
    });
    http.createContext("/held", exchange -> {
      List<Map<String, Object>> workspaces = metrics.held().byWorkspace().entrySet().stream()
          .map(e -> Map.<String, Object>of("workspace", e.getKey(), "events", e.getValue().events(),
              "bytes", e.getValue().bytes()))
          .toList();
      respond(exchange, 200, Map.of("workspaces", workspaces));
    });
    http.start();
    return new RouterHttpServer(http, executor);
  }

  int port() {
    return http.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "GET");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    http.stop(0);
    executor.shutdownNow();
  }
}
