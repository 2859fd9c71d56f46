package io.meshlake.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.meshlake.registry.CompatibilityLevel;
import io.meshlake.registry.RegistryException;
import io.meshlake.registry.RegistryMetrics;
import io.meshlake.registry.SchemaReference;
import io.meshlake.registry.SchemaRegistry;
import io.meshlake.registry.SchemaRegistry.SchemaRequest;
import io.meshlake.registry.SchemaRegistry.SubjectVersion;
import io.meshlake.registry.store.RegistryState;
import io.meshlake.registry.store.RegistryState.SchemaContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confluent Schema Registry's REST API (the PROTOBUF subset) over the JDK's HTTP server. Routes by
 * path segments, each percent-decoded on its own so that a subject may contain an encoded '/'.
 */
public final class RestApi implements HttpHandler {

  private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final SchemaRegistry registry;
  private final RegistryState state;
  private final RegistryMetrics metrics;

  public RestApi(SchemaRegistry registry, RegistryState state, RegistryMetrics metrics) {
    this.registry = registry;
    this.state = state;
    this.metrics = metrics;
  }

  /** A response: status and a body that is JSON-serialised (or raw text when {@code raw}). */
  private record Response(int status, Object body, boolean raw) {
    static Response ok(Object body) {
      return new Response(200, body, false);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    metrics.request();
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getRawPath();
    Response response;
    try {
      response = route(method, segments(path), query(exchange.getRequestURI().getRawQuery()), exchange);
    } catch (RegistryException e) {
      metrics.error(e.errorCode());
      if (e.errorCode() >= 50000) {
        LOG.warn("{} {} failed: {}", method, path, e.getMessage(), e.getCause());
      }
      response = error(e.errorCode(), e.getMessage());
    } catch (RuntimeException e) {
      metrics.error(50001);
      LOG.error("{} {} failed unexpectedly", method, path, e);
      response = error(50001, "Internal error: " + e);
    }
    try (exchange) {
      byte[] body = response.raw()
          ? String.valueOf(response.body()).getBytes(StandardCharsets.UTF_8)
          : JSON.writeValueAsBytes(response.body());
      exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } finally {
      LOG.debug("{} {} -> {} in {} ms", method, path, response.status(), (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static Response error(int errorCode, String message) {
    RegistryException e = new RegistryException(errorCode, message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error_code", errorCode);
    body.put("message", message);
    return new Response(e.httpStatus(), body, false);
  }

  private Response route(String method, List<String> p, Map<String, String> q, HttpExchange exchange)
      throws IOException {
    int n = p.size();
    if (n == 0) {
      return expect(method, "GET", () -> Response.ok(Map.of()));
    }
    switch (p.get(0)) {
      case "subjects":
        if (n == 1) {
          return expect(method, "GET", () -> Response.ok(registry.subjects(flag(q, "deleted"), q.get("subjectPrefix"))));
        }
        String subject = p.get(1);
        if (n == 2) {
          if (method.equals("POST")) {
            SchemaRequest request = schemaRequest(exchange);
            return Response.ok(versionBody(registry.lookup(subject, request, flag(q, "deleted"))));
          }
          return expect(method, "DELETE", () -> Response.ok(registry.deleteSubject(subject, flag(q, "permanent"))));
        }
        if (!p.get(2).equals("versions")) {
          break;
        }
        if (n == 3) {
          if (method.equals("POST")) {
            SchemaRequest request = schemaRequest(exchange);
            return Response.ok(Map.of("id", registry.register(subject, request)));
          }
          return expect(method, "GET", () -> Response.ok(registry.versions(subject, flag(q, "deleted"))));
        }
        String version = p.get(3);
        if (n == 4) {
          if (method.equals("DELETE")) {
            return Response.ok(registry.deleteVersion(subject, version, flag(q, "permanent")));
          }
          return expect(method, "GET", () -> Response.ok(versionBody(registry.version(subject, version, flag(q, "deleted")))));
        }
        if (n == 5 && p.get(4).equals("schema")) {
          return expect(method, "GET", () -> new Response(200,
              registry.version(subject, version, flag(q, "deleted")).schema(), true));
        }
        if (n == 5 && p.get(4).equals("referencedby")) {
          return expect(method, "GET", () -> Response.ok(registry.referencedBy(subject, version)));
        }
        break;
      case "schemas":
        if (n == 2 && p.get(1).equals("types")) {
          return expect(method, "GET", () -> Response.ok(List.of(SchemaRegistry.PROTOBUF)));
        }
        if (n >= 3 && p.get(1).equals("ids")) {
          int id = schemaId(p.get(2));
          if (n == 3) {
            return expect(method, "GET", () -> Response.ok(schemaBody(registry.schemaById(id))));
          }
          if (n == 4 && p.get(3).equals("schema")) {
            return expect(method, "GET", () -> new Response(200, registry.schemaById(id).schema(), true));
          }
          if (n == 4 && p.get(3).equals("versions")) {
            return expect(method, "GET", () -> {
              List<Map<String, Object>> pairs = new ArrayList<>();
              for (SubjectVersion v : registry.versionsOfId(id, flag(q, "deleted"))) {
                Map<String, Object> pair = new LinkedHashMap<>();
                pair.put("subject", v.subject());
                pair.put("version", v.version());
                pairs.add(pair);
              }
              return Response.ok(pairs);
            });
          }
          if (n == 4 && p.get(3).equals("subjects")) {
            return expect(method, "GET", () -> Response.ok(
                registry.versionsOfId(id, flag(q, "deleted")).stream().map(SubjectVersion::subject).distinct().toList()));
          }
        }
        break;
      case "compatibility":
        if ((n == 4 || n == 5) && p.get(1).equals("subjects") && p.get(3).equals("versions")) {
          if (!method.equals("POST")) {
            throw methodNotAllowed(method);
          }
          SchemaRequest request = schemaRequest(exchange);
          SchemaRegistry.CompatibilityResult result =
              registry.checkCompatibility(p.get(2), n == 5 ? p.get(4) : null, request);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("is_compatible", result.compatible());
          if (flag(q, "verbose")) {
            body.put("messages", result.messages());
          }
          return Response.ok(body);
        }
        break;
      case "config":
        if (n <= 2) {
          String configSubject = n == 2 ? p.get(1) : null;
          switch (method) {
            case "GET":
              CompatibilityLevel level = configSubject == null
                  ? registry.globalLevel()
                  : registry.subjectLevel(configSubject).orElseGet(() -> {
                    if (flag(q, "defaultToGlobal")) {
                      return registry.globalLevel();
                    }
                    throw RegistryException.subjectConfigNotFound(configSubject);
                  });
              return Response.ok(Map.of("compatibilityLevel", level.name()));
            case "PUT":
              JsonNode body = jsonBody(exchange);
              JsonNode levelNode = body.hasNonNull("compatibility") ? body.get("compatibility") : body.get("compatibilityLevel");
              String levelText = levelNode == null || levelNode.isNull() ? null : levelNode.asText();
              return Response.ok(Map.of("compatibility", registry.setLevel(configSubject, levelText).name()));
            case "DELETE":
              return Response.ok(Map.of("compatibilityLevel", registry.deleteLevel(configSubject).name()));
            default:
              throw methodNotAllowed(method);
          }
        }
        break;
      case "metrics":
        if (n == 1) {
          return expect(method, "GET", () -> {
            Map<String, Object> body = new LinkedHashMap<>(metrics.snapshot());
            body.put("state", state.counts());
            return Response.ok(body);
          });
        }
        break;
      default:
        break;
    }
    throw new RegistryException(404, "HTTP 404 Not Found: no endpoint " + method + " /" + String.join("/", p));
  }

  private interface Handler {
    Response handle();
  }

  private static Response expect(String method, String expected, Handler handler) {
    if (!method.equals(expected)) {
      throw methodNotAllowed(method);
    }
    return handler.handle();
  }

  private static RegistryException methodNotAllowed(String method) {
    return new RegistryException(405, "HTTP 405 Method Not Allowed: " + method);
  }

  private static int schemaId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new RegistryException(40403, "Schema " + text + " not found");
    }
  }

  private static Map<String, Object> versionBody(SubjectVersion v) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("subject", v.subject());
    body.put("version", v.version());
    body.put("id", v.id());
    body.put("schemaType", v.schemaType());
    body.put("references", references(v.references()));
    body.put("schema", v.schema());
    return body;
  }

  private static Map<String, Object> schemaBody(SchemaContent content) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("schemaType", content.schemaType());
    body.put("references", references(content.references()));
    body.put("schema", content.schema());
    return body;
  }

  private static List<Map<String, Object>> references(List<SchemaReference> references) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SchemaReference ref : references) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", ref.name());
      r.put("subject", ref.subject());
      r.put("version", ref.version());
      out.add(r);
    }
    return out;
  }

  /** Reads {@code {"schemaType", "schema", "references"}}; other fields (metadata, ruleSet...) are ignored. */
  private static SchemaRequest schemaRequest(HttpExchange exchange) throws IOException {
    JsonNode body = jsonBody(exchange);
    JsonNode schema = body.get("schema");
    if (schema != null && !schema.isNull() && !schema.isTextual()) {
      throw new RegistryException(422, "Unprocessable entity: \"schema\" must be a string holding the .proto text");
    }
    JsonNode type = body.get("schemaType");
    List<SchemaReference> references = new ArrayList<>();
    JsonNode refs = body.get("references");
    if (refs != null && !refs.isNull()) {
      if (!refs.isArray()) {
        throw new RegistryException(422, "Unprocessable entity: \"references\" must be an array of"
            + " {\"name\",\"subject\",\"version\"}");
      }
      for (JsonNode ref : refs) {
        JsonNode version = ref.get("version");
        if (version == null || !version.canConvertToInt()) {
          throw RegistryException.invalidSchema("Invalid schema: reference " + ref + " needs an integer \"version\"");
        }
        references.add(new SchemaReference(text(ref.get("name")), text(ref.get("subject")), version.asInt()));
      }
    }
    return new SchemaRequest(text(type), text(schema), references);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static JsonNode jsonBody(HttpExchange exchange) throws IOException {
    byte[] bytes = readBody(exchange.getRequestBody());
    if (bytes.length == 0) {
      throw new RegistryException(400, "Bad request: the request needs a JSON body");
    }
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new RegistryException(422, "Unprocessable entity: the body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RegistryException(400, "Bad request: the body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static byte[] readBody(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int read;
    while ((read = in.read(buffer)) != -1) {
      out.write(buffer, 0, read);
      if (out.size() > MAX_BODY_BYTES) {
        throw new RegistryException(413, "Request body larger than " + MAX_BODY_BYTES + " bytes");
      }
    }
    return out.toByteArray();
  }

  private static boolean flag(Map<String, String> query, String name) {
    return "true".equalsIgnoreCase(query.get(name));
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> query = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.put(key, value);
    }
    return query;
  }

  /** Path segments, each percent-decoded ('+' stays '+': it is not a space in a path). */
  static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/")) {
      if (!raw.isEmpty()) {
        segments.add(percentDecode(raw));
      }
    }
    return segments;
  }

  private static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length()) {
      if (raw.charAt(i) == '%' && isHex(raw, i + 1) && isHex(raw, i + 2)) {
        out.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        int next = raw.indexOf('%', i + 1);
        int end = next < 0 ? raw.length() : next;
        out.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(String s, int i) {
    return i < s.length() && Character.digit(s.charAt(i), 16) >= 0;
  }
}
