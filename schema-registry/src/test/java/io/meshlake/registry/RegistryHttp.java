package io.meshlake.registry;

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
import java.util.List;

/** Real HTTP calls against a registry, as any Confluent client makes them. */
final class RegistryHttp {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  /** A response: status, the raw body, the parsed body (null when not JSON) and the content type. */
  record Reply(int status, String body, JsonNode json, String contentType) {
    int errorCode() {
      return json.path("error_code").asInt();
    }

    String message() {
      return json.path("message").asText();
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  private final String url;

  RegistryHttp(String url) {
    this.url = url;
  }

  String url() {
    return url;
  }

  static String enc(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Reply get(String path) {
    return send("GET", path, null, CONTENT_TYPE);
  }

  Reply delete(String path) {
    return send("DELETE", path, null, CONTENT_TYPE);
  }

  Reply post(String path, Object body) {
    return send("POST", path, body, CONTENT_TYPE);
  }

  Reply put(String path, Object body) {
    return send("PUT", path, body, CONTENT_TYPE);
  }

  Reply send(String method, String path, Object body, String contentType) {
    try {
      String text = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path))
          .timeout(Duration.ofSeconds(60))
          .header("Accept", CONTENT_TYPE)
          .method(method, text == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(text));
      if (text != null) {
        request.header("Content-Type", contentType);
      }
      HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = response.body().isEmpty() ? null : JSON.readTree(response.body());
      } catch (IOException e) {
        json = null;
      }
      return new Reply(response.statusCode(), response.body(), json,
          response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"schemaType":"PROTOBUF","schema":...,"references":[...]}}. */
  static ObjectNode schema(String proto, SchemaReference... references) {
    ObjectNode body = JSON.createObjectNode();
    body.put("schemaType", "PROTOBUF");
    body.put("schema", proto);
    ArrayNode refs = body.putArray("references");
    for (SchemaReference ref : references) {
      refs.addObject().put("name", ref.name()).put("subject", ref.subject()).put("version", ref.version());
    }
    return body;
  }

  Reply register(String subject, String proto, SchemaReference... references) {
    return post("/subjects/" + enc(subject) + "/versions", schema(proto, references));
  }

  /** Registers and returns the id, failing the test on any error. */
  int registerOk(String subject, String proto, SchemaReference... references) {
    Reply reply = register(subject, proto, references);
    if (reply.status() != 200) {
      throw new AssertionError("registering under " + subject + " failed: " + reply);
    }
    return reply.json().get("id").asInt();
  }

  Reply setLevel(String subject, String level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level);
    return put(subject == null ? "/config" : "/config/" + enc(subject), body);
  }

  static List<Integer> ints(JsonNode array) {
    return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, Integer.class));
  }

  static List<String> strings(JsonNode array) {
    return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
  }
}
