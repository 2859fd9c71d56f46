package io.meshlake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeQueryServerTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path root;
  static List<LakeFixture.Issue> acme;
  static LakeQueryServer server;

  record Response(int status, String contentType, String body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  @BeforeAll
  static void start() throws IOException {
    acme = new LakeFixture(root).twoWorkspaces(80, 90);
    server = LakeQueryServer.start(ServerConfig.of(LakeQueryConfig.forRoot(root)).withPort(0).withMaxBodyBytes(64 * 1024));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Response post(String path, String body) throws Exception {
    return send(HttpRequest.newBuilder(server.uri().resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json"));
  }

  static Response get(String path) throws Exception {
    return send(HttpRequest.newBuilder(server.uri().resolve(path)).GET());
  }

  static Response send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

  static String queryBody(String workspace, String sql, ObjectNode params, ObjectNode scope) {
    ObjectNode body = JSON.createObjectNode().put("workspace", workspace).put("sql", sql);
    if (params != null) {
      body.set("params", params);
    }
    if (scope != null) {
      body.set("scope", scope);
    }
    return body.toString();
  }

  @Test
  void theSeedQueryAnswersWithColumnsAndRows() throws Exception {
    ObjectNode params = JSON.createObjectNode().put("start", "2021-06-01").put("end", "2022-05-31");
    params.putArray("projects").add("P1").add("P2").add("P3");
    params.putArray("assignees").add("acct-0").add("acct-1").add("acct-2");
    ObjectNode scope = JSON.createObjectNode();
    scope.putObject("jira_issue").putArray("project_id").add("P1");

    Response response = post("/query", queryBody("acme", SeedQuery.withParameters("acme"), params, scope));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    JsonNode json = response.json();
    assertThat(json.path("columns").get(0).path("name").asText()).isEqualTo("Month of Resolution At");
    assertThat(json.path("columns").get(1).path("type").asText()).isEqualTo("BIGINT");
    List<List<Object>> rows = new ArrayList<>();
    json.path("rows").forEach(r -> rows.add(List.of(r.get(0).asText(), r.get(1).asLong())));
    // The scope keeps P1 only, whatever the query's own project filter says.
    assertThat(rows).isNotEmpty().isEqualTo(SeedQuery.expected(acme, Set.of("P1"), LocalDate.parse("2021-06-01"),
        LocalDate.parse("2022-05-31"), List.of("P1", "P2", "P3"), List.of("acct-0", "acct-1", "acct-2")));
    assertThat(json.path("rowCount").asInt()).isEqualTo(rows.size());
  }

  @Test
  void aRefusedQueryIsA400WithTheReason() throws Exception {
    Response response = post("/query", queryBody("acme", "SELECT * FROM read_parquet('/etc/passwd')", null, null));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("error").asText()).isEqualTo("rejected");
    assertThat(response.json().path("message").asText()).contains("table functions such as read_parquet(...) are not allowed");
  }

  @Test
  void aFailingQueryIsA400QueryFailed() throws Exception {
    Response response = post("/query", queryBody("acme", "SELECT CAST('x' AS INTEGER)", null, null));
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("error").asText()).isEqualTo("query_failed");
    assertThat(response.json().path("message").asText()).contains("Conversion Error");
  }

  @Test
  void malformedRequestsAreRefusedWithTheirFieldNamed() throws Exception {
    assertThat(post("/query", "{not json").json().path("message").asText()).startsWith("the body is not JSON");
    assertThat(post("/query", "{\"workspace\":\"acme\"}").json().path("message").asText())
        .isEqualTo("field 'sql' is required and must be a string");
    assertThat(post("/query", "{\"workspace\":\"acme\",\"sql\":\"SELECT 1\",\"user\":\"root\"}").json().path("message").asText())
        .isEqualTo("unknown field 'user'; fields are workspace, sql, params, scope");
    assertThat(post("/query", "{\"workspace\":\"acme\",\"sql\":\"SELECT :p\",\"params\":{\"p\":{\"a\":1}}}").json().path("message").asText())
        .isEqualTo("params.p must be a string, number or boolean, null or a list of those");
    assertThat(post("/query", "{\"workspace\":\"acme\",\"sql\":\"SELECT 1\",\"scope\":{\"jira_issue\":{\"project_id\":\"P1\"}}}")
        .json().path("message").asText()).isEqualTo("scope.jira_issue.project_id must be a list of values");
    Response badWorkspace = post("/query", queryBody("../globex", "SELECT 1", null, null));
    assertThat(badWorkspace.status()).isEqualTo(400);
    assertThat(badWorkspace.json().path("message").asText()).contains("is not a workspace id");
  }

  @Test
  void tooLargeBodiesWrongMethodsAndUnknownPathsAreAnsweredAsJson() throws Exception {
    Response large = post("/query", queryBody("acme", "SELECT '" + "x".repeat(70_000) + "'", null, null));
    assertThat(large.status()).isEqualTo(413);
    assertThat(large.json().path("error").asText()).isEqualTo("too_large");
    Response wrongMethod = get("/query");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().path("message").asText()).isEqualTo("/query takes POST, not GET");
    Response unknown = get("/sql");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().path("error").asText()).isEqualTo("not_found");
  }

  @Test
  void tablesListsTablesColumnsAndTheWorkspacesRows() throws Exception {
    Response response = get("/tables?workspace=globex");
    assertThat(response.status()).isEqualTo(200);
    JsonNode tables = response.json().path("tables");
    assertThat(tables.get(0).path("name").asText()).isEqualTo("jira_issue");
    assertThat(tables.get(0).path("rows").asLong()).isEqualTo(90);
    assertThat(tables.get(1).path("rows").asLong()).isEqualTo(3);
    assertThat(tables.get(0).path("columns").get(0).path("name").asText()).isEqualTo("workspace_id");
    assertThat(get("/tables").status()).isEqualTo(400);
    assertThat(get("/tables?workspace=a%27b").json().path("message").asText()).contains("is not a workspace id");
  }

  @Test
  void metricsCountQueriesRejectionsErrorsAndLatency() throws Exception {
    long okBefore = server.lakeQuery().metrics().count("ok");
    post("/query", queryBody("acme", "SELECT count(*) FROM jira_issue", null, null));
    post("/query", queryBody("acme", "DROP TABLE jira_issue", null, null));
    Response metrics = get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.contentType()).startsWith("text/plain");
    assertThat(server.lakeQuery().metrics().count("ok")).isEqualTo(okBefore + 1);
    assertThat(metrics.body()).contains("# TYPE meshlake_query_total counter", "meshlake_query_total{outcome=\"rejected\"}",
        "meshlake_query_total{outcome=\"error\"}", "meshlake_query_duration_seconds_bucket{le=\"+Inf\"}", "meshlake_query_rows_total");
  }

  @Test
  void aTimedOutQueryIsA504(@TempDir Path unused) throws Exception {
    try (LakeQueryServer slow = LakeQueryServer.start(ServerConfig.of(LakeQueryConfig.forRoot(root).withTimeout(Duration.ofMillis(500)))
        .withPort(0))) {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(slow.uri().resolve("/query")).POST(HttpRequest.BodyPublishers.ofString(
          queryBody("globex", "SELECT count(*) FROM jira_issue a, jira_issue b, jira_issue c, jira_issue d, jira_issue e "
              + "WHERE a.summary || b.summary || c.summary || d.summary || e.summary LIKE '%zz%'", null, null))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(504);
      assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("timeout");
    }
  }

  @Test
  void closeIsIdempotentAndReleasesThePort() throws Exception {
    LakeQueryServer other = LakeQueryServer.start(ServerConfig.of(LakeQueryConfig.forRoot(root)).withPort(0));
    URI uri = other.uri().resolve("/metrics");
    assertThat(HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    other.close();
    other.close();
    assertThatThrownBy(() -> HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void aBadServerConfigurationIsRefusedByName() {
    LakeQueryConfig query = LakeQueryConfig.forRoot(root);
    assertThatThrownBy(() -> ServerConfig.of(query).withPort(70_000)).hasMessage("port must be between 0 and 65535, got 70000");
    assertThatThrownBy(() -> ServerConfig.of(query).withHost(" ")).hasMessage("host is required, e.g. 127.0.0.1");
    assertThatThrownBy(() -> ServerConfig.of(query).withMaxBodyBytes(10)).hasMessage("maxBodyBytes must be at least 1024, got 10");
  }
}
