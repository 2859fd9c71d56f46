package io.meshlake.contracts.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for any Confluent-REST-compatible schema registry, PROTOBUF schemas only.
 *
 * <p>Schemas by id and ids by (subject, schema) never change once assigned, so they are cached for
 * the life of the client; "latest version of a subject" is cached for {@code latestTtl}. Several
 * base URLs may be given: each call tries them in order until one answers.
 */
public final class SchemaRegistryClient {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<URI> baseUris;
  private final Duration latestTtl;
  private final HttpClient http;
  private final Map<Integer, SchemaText> byId = new ConcurrentHashMap<>();
  private final Map<String, RegisteredSchema> registered = new ConcurrentHashMap<>();
  private final Map<String, Cached> latest = new ConcurrentHashMap<>();
  private final AtomicLong requests = new AtomicLong();

  private record Cached(RegisteredSchema schema, long expiresAtNanos) {}

  public SchemaRegistryClient(String urls) {
    this(urls, Duration.ofSeconds(30));
  }

  /**
   * @param urls one or more base URLs, comma-separated (e.g. {@code http://localhost:8081})
   */
  public SchemaRegistryClient(String urls, Duration latestTtl) {
    this.baseUris = parseUrls(urls);
    this.latestTtl = latestTtl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  static List<URI> parseUrls(String urls) {
    if (urls == null || urls.isBlank()) {
      throw new IllegalArgumentException("schema.registry.url is empty: give the registry's base URL, e.g. http://localhost:8081");
    }
    List<URI> result = new ArrayList<>();
    for (String url : urls.split(",")) {
      String trimmed = url.trim();
      if (trimmed.isEmpty()) {
        continue;
      }
      URI uri;
      try {
        uri = URI.create(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("schema.registry.url '" + trimmed + "' is not a URL: " + e.getMessage(), e);
      }
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException("schema.registry.url '" + trimmed + "' must be an http(s) URL such as http://localhost:8081");
      }
      result.add(uri);
    }
    return List.copyOf(result);
  }

  /** Registers the schema under the subject (or finds it there) and returns its global id. */
  public int register(String subject, SchemaText schema) {
    String key = subject + "\u0000" + cacheKey(schema);
    RegisteredSchema known = registered.get(key);
    if (known != null) {
      return known.id();
    }
    JsonNode response = call("POST", "/subjects/" + encode(subject) + "/versions", body(schema));
    int id = response.get("id").asInt();
    registered.put(key, new RegisteredSchema(id, subject, null, schema));
    byId.putIfAbsent(id, schema);
    LOG.debug("registered schema id {} under subject {}", id, subject);
    return id;
  }

  /** Finds the schema under the subject without registering it; throws (40403) when absent. */
  public RegisteredSchema lookup(String subject, SchemaText schema) {
    String key = subject + "\u0000" + cacheKey(schema);
    RegisteredSchema known = registered.get(key);
    if (known != null && known.version() != null) {
      return known;
    }
    JsonNode response = call("POST", "/subjects/" + encode(subject), body(schema));
    RegisteredSchema found = toRegistered(response, subject);
    registered.put(key, found);
    return found;
  }

  public SchemaText schemaById(int id) {
    SchemaText cached = byId.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode response = call("GET", "/schemas/ids/" + id, null);
    String type = response.path("schemaType").asText("AVRO");
    if (!"PROTOBUF".equals(type)) {
      throw new SchemaRegistryException(422, 42201, "schema id " + id + " is " + type + ", not PROTOBUF");
    }
    SchemaText text = new SchemaText(response.get("schema").asText(), references(response.get("references")));
    byId.put(id, text);
    return text;
  }

  public RegisteredSchema latest(String subject) {
    Cached cached = latest.get(subject);
    if (cached != null && cached.expiresAtNanos() > System.nanoTime()) {
      return cached.schema();
    }
    RegisteredSchema schema = version(subject, "latest");
    latest.put(subject, new Cached(schema, System.nanoTime() + latestTtl.toNanos()));
    return schema;
  }

  public RegisteredSchema version(String subject, String version) {
    JsonNode response = call("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null);
    RegisteredSchema schema = toRegistered(response, subject);
    byId.putIfAbsent(schema.id(), schema.text());
    return schema;
  }

  public List<String> subjects() {
    JsonNode response = call("GET", "/subjects", null);
    List<String> subjects = new ArrayList<>();
    response.forEach(n -> subjects.add(n.asText()));
    return subjects;
  }

  public List<Integer> versions(String subject) {
    JsonNode response = call("GET", "/subjects/" + encode(subject) + "/versions", null);
    List<Integer> versions = new ArrayList<>();
    response.forEach(n -> versions.add(n.asInt()));
    return versions;
  }

  /** Whether the schema may be registered after the subject's given version ("latest" or a number). */
  public CompatibilityResult testCompatibility(String subject, String version, SchemaText schema) {
    JsonNode response = call("POST",
        "/compatibility/subjects/" + encode(subject) + "/versions/" + encode(version) + "?verbose=true", body(schema));
    List<String> messages = new ArrayList<>();
    response.path("messages").forEach(m -> messages.add(m.asText()));
    return new CompatibilityResult(response.path("is_compatible").asBoolean(false), messages);
  }

  /** The compatibility level of a subject, or the global one when {@code subject} is null. */
  public String compatibilityLevel(String subject) {
    JsonNode response = call("GET", subject == null ? "/config" : "/config/" + encode(subject), null);
    return response.path("compatibilityLevel").asText();
  }

  public void setCompatibilityLevel(String subject, String level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level);
    call("PUT", subject == null ? "/config" : "/config/" + encode(subject), body);
  }

  /** HTTP requests made so far (cache misses), for tests and metrics. */
  public long requestCount() {
    return requests.get();
  }

  private RegisteredSchema toRegistered(JsonNode response, String subject) {
    String type = response.path("schemaType").asText("AVRO");
    if (!"PROTOBUF".equals(type)) {
      throw new SchemaRegistryException(422, 42201, "subject " + subject + " holds a " + type + " schema, not PROTOBUF");
    }
    return new RegisteredSchema(
        response.get("id").asInt(),
        response.path("subject").asText(subject),
        response.get("version").asInt(),
        new SchemaText(response.get("schema").asText(), references(response.get("references"))));
  }

  private static List<SchemaReference> references(JsonNode node) {
    List<SchemaReference> refs = new ArrayList<>();
    if (node != null) {
      node.forEach(r -> refs.add(new SchemaReference(r.get("name").asText(), r.get("subject").asText(), r.get("version").asInt())));
    }
    return refs;
  }

  private static ObjectNode body(SchemaText schema) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schemaType", "PROTOBUF");
    body.put("schema", schema.schema());
    if (!schema.references().isEmpty()) {
      ArrayNode refs = body.putArray("references");
      for (SchemaReference ref : schema.references()) {
        refs.addObject().put("name", ref.name()).put("subject", ref.subject()).put("version", ref.version());
      }
    }
    return body;
  }

  private static String cacheKey(SchemaText schema) {
    StringBuilder key = new StringBuilder(schema.schema());
    for (SchemaReference ref : schema.references()) {
      key.append('\u0000').append(ref.name()).append('@').append(ref.subject()).append('/').append(ref.version());
    }
    return key.toString();
  }

  private static String encode(String pathSegment) {
    return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode call(String method, String path, JsonNode body) {
    IOException lastFailure = null;
    for (URI base : baseUris) {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(30))
          .header("Accept", CONTENT_TYPE);
      if (body != null) {
        request.header("Content-Type", CONTENT_TYPE)
            .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
      } else {
        request.method(method, HttpRequest.BodyPublishers.noBody());
      }
      HttpResponse<String> response;
      try {
        requests.incrementAndGet();
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        lastFailure = e;
        LOG.warn("schema registry at {} unreachable ({}); trying the next URL if any", base, e.toString());
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted calling the schema registry", e);
      }
      return parse(method, base + path, response);
    }
    throw new SchemaRegistryException("no schema registry reachable at " + baseUris + ": " + lastFailure, lastFailure);
  }

  private static JsonNode parse(String method, String url, HttpResponse<String> response) {
    JsonNode json;
    try {
      json = response.body() == null || response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException(response.statusCode(), -1,
          method + " " + url + " answered " + response.statusCode() + " with a body that is not JSON: " + abbreviate(response.body()));
    }
    if (response.statusCode() >= 200 && response.statusCode() < 300) {
      return json;
    }
    int code = json.path("error_code").asInt(response.statusCode());
    String message = json.path("message").asText(abbreviate(response.body()));
    throw new SchemaRegistryException(response.statusCode(), code, message + " (error " + code + " from " + method + " " + url + ")");
  }

  private static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }
}
