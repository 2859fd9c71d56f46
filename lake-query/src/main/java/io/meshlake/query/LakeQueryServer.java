package io.meshlake.query;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * lake-query over HTTP (JDK server, JSON):
 *
 * <ul>
 *   <li>{@code POST /query} with {@link QueryRequest}'s body → {@code {"columns":[...],"rows":[...],...}};
 *   <li>{@code GET /tables?workspace=w} → the tables, the workspace's row counts and the columns;
 *   <li>{@code GET /metrics} → Prometheus text.
 * </ul>
 *
 * Errors are {@code {"error":"<code>","message":"..."}} with 400 (refused or failed query), 404,
 * 405, 413, 501 (unsupported table), 503 (busy), 504 (timeout) or 500. The workspace comes from the
 * request: this endpoint does not authenticate, so it binds to localhost by default and belongs
 * behind something that does.
 */
public final class LakeQueryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LakeQueryServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final LakeQuery lakeQuery;
  private final boolean ownsLakeQuery;
  private final ServerConfig config;
  private final AtomicBoolean closed = new AtomicBoolean();

  private LakeQueryServer(ServerConfig config, LakeQuery lakeQuery, boolean ownsLakeQuery) throws IOException {
    this.config = config;
    this.lakeQuery = lakeQuery;
    this.ownsLakeQuery = ownsLakeQuery;
    AtomicInteger n = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(config.threads(), r -> {
      Thread t = new Thread(r, "lake-query-http-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** Starts a server with its own {@link LakeQuery} over {@code config.query()}. */
  public static LakeQueryServer start(ServerConfig config) throws IOException {
    return start(config, new LakeQuery(config.query()), true);
  }

  /** Starts a server over an existing {@link LakeQuery}, which the caller keeps and closes. */
  public static LakeQueryServer start(ServerConfig config, LakeQuery lakeQuery) throws IOException {
    return start(config, lakeQuery, false);
  }

  private static LakeQueryServer start(ServerConfig config, LakeQuery lakeQuery, boolean owns) throws IOException {
    LakeQueryServer server;
    try {
      server = new LakeQueryServer(config, lakeQuery, owns);
    } catch (IOException | RuntimeException e) {
      if (owns) {
        lakeQuery.close();
      }
      throw e;
    }
    server.server.start();
    LOG.info("lake-query listening on {} over {}", server.uri(), config.query().tableRoot());
    return server;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI uri() {
    return URI.create("http://" + config.host() + ":" + port() + "/");
  }

  public LakeQuery lakeQuery() {
    return lakeQuery;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      route(exchange);
    } catch (QueryException e) {
      error(exchange, e.kind().httpStatus(), e.kind().code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.error("request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      error(exchange, 500, "internal", "the request failed unexpectedly: " + e);
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String method = exchange.getRequestMethod();
    switch (path) {
      case "/query" -> {
        if (allow(exchange, method, "POST")) {
          query(exchange);
        }
      }
      case "/tables" -> {
        if (allow(exchange, method, "GET")) {
          tables(exchange);
        }
      }
      case "/metrics" -> {
        if (allow(exchange, method, "GET")) {
          send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", lakeQuery.metrics().prometheus().getBytes(StandardCharsets.UTF_8));
        }
      }
      default -> error(exchange, 404, "not_found", "no such endpoint " + path + "; endpoints are POST /query, GET /tables, GET /metrics");
    }
  }

  private void query(HttpExchange exchange) throws IOException {
    byte[] body = readBody(exchange);
    if (body == null) {
      return;
    }
    QueryRequest request = QueryRequest.parse(body);
    QueryResult result = lakeQuery.query(request.workspace(), request.scope(), request.sql(), request.params());
    sendJson(exchange, 200, ResultFormats.json(result));
  }

  private void tables(HttpExchange exchange) throws IOException {
    String workspace = queryParameters(exchange.getRequestURI()).get("workspace");
    if (workspace == null) {
      throw QueryException.rejected("the workspace query parameter is required: GET /tables?workspace=<id>");
    }
    List<TableInfo> tables = lakeQuery.tables(workspace);
    ObjectNode root = ResultFormats.JSON.createObjectNode().put("workspace", workspace);
    ArrayNode list = root.putArray("tables");
    for (TableInfo t : tables) {
      ObjectNode table = list.addObject().put("name", t.name()).put("version", t.version()).put("rows", t.rows());
      ArrayNode columns = table.putArray("columns");
      t.columns().forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type()));
    }
    sendJson(exchange, 200, root);
  }

  /** The body, or null after answering 413 when it is larger than allowed. */
  private byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(config.maxBodyBytes() + 1);
      if (body.length > config.maxBodyBytes()) {
        error(exchange, 413, "too_large", "the request body is larger than " + config.maxBodyBytes() + " bytes");
        return null;
      }
      return body;
    }
  }

  private static boolean allow(HttpExchange exchange, String method, String allowed) throws IOException {
    if (allowed.equals(method)) {
      return true;
    }
    exchange.getResponseHeaders().set("Allow", allowed);
    error(exchange, 405, "method_not_allowed", exchange.getRequestURI().getPath() + " takes " + allowed + ", not " + method);
    return false;
  }

  private static Map<String, String> queryParameters(URI uri) {
    Map<String, String> params = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.putIfAbsent(key, value);
    }
    return params;
  }

  private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
    sendJson(exchange, status, ResultFormats.JSON.createObjectNode().put("error", code).put("message", message));
  }

  private static void sendJson(HttpExchange exchange, int status, ObjectNode body) throws IOException {
    send(exchange, status, "application/json; charset=utf-8", ResultFormats.JSON.writeValueAsBytes(body));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops accepting requests, lets running ones finish for up to a second, and releases the port. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.stop(1);
    executor.shutdownNow();
    if (ownsLakeQuery) {
      lakeQuery.close();
    }
    LOG.info("lake-query on port {} stopped", server.getAddress().getPort());
  }

}
