package io.meshlake.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** The probe contract of /health and the JSON of /metrics, over real HTTP. */
class StatusHttpServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthIsUpOnlyWhileRunningOrRebalancing() throws Exception {
    AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
    try (StatusHttpServer server = StatusHttpServer.start("127.0.0.1", 0, state::get, () -> TopologyCounts.of(Map.of()))) {
      for (KafkaStreams.State s : KafkaStreams.State.values()) {
        state.set(s);
        HttpResponse<String> response = get(server.url().resolve("/health"));
        boolean up = s == KafkaStreams.State.RUNNING || s == KafkaStreams.State.REBALANCING;
        assertThat(response.statusCode()).as(s.name()).isEqualTo(up ? 200 : 503);
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.path("state").asText()).isEqualTo(s.name());
        assertThat(body.path("status").asText()).isEqualTo(up ? "UP" : "DOWN");
      }
    }
  }

  @Test
  void metricsAreServedAsJson() throws Exception {
    TopologyCounts counts = new TopologyCounts(7, 2, 3, 1, 4, Map.of("UNDECODABLE", 4L), Map.of("jira_issue", 7L));
    try (StatusHttpServer server = StatusHttpServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, () -> counts)) {
      HttpResponse<String> response = get(server.url().resolve("/metrics"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
      JsonNode body = new ObjectMapper().readTree(response.body());
      assertThat(body.path("forwarded").asLong()).isEqualTo(7);
      assertThat(body.path("staleDropped").asLong()).isEqualTo(2);
      assertThat(body.path("duplicateDropped").asLong()).isEqualTo(3);
      assertThat(body.path("deadLetteredByReason").path("UNDECODABLE").asLong()).isEqualTo(4);
      assertThat(body.path("forwardedByModel").path("jira_issue").asLong()).isEqualTo(7);
    }
  }

  @Test
  void otherPathsAreNotFound() throws Exception {
    try (StatusHttpServer server = StatusHttpServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING,
        () -> TopologyCounts.of(Map.of()))) {
      assertThat(get(server.url().resolve("/healthz")).statusCode()).isEqualTo(404);
      assertThat(get(server.url().resolve("/")).statusCode()).isEqualTo(404);
    }
  }

  @Test
  void onlyGetIsAllowed() throws Exception {
    try (StatusHttpServer server = StatusHttpServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING,
        () -> TopologyCounts.of(Map.of()))) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(server.url().resolve("/health"))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(405);
    }
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
