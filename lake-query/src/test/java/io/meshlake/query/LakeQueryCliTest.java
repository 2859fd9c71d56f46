package io.meshlake.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeQueryCliTest {

  @TempDir static Path root;
  static List<LakeFixture.Issue> acme;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void writeTables() {
    acme = new LakeFixture(root).twoWorkspaces(60, 80);
  }

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = LakeQueryCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void theSeedQueryPrintsAReadableTable() {
    Run run = cli("--root", root.toString(), "--workspace", "acme", "--param", "start=2021-01-01", "--param", "end=2022-12-31",
        "--list-param", "projects=P1,P2,P3", "--list-param", "assignees=acct-0,acct-1,acct-2,acct-3", SeedQuery.withParameters("acme"));

    List<List<Object>> expected = SeedQuery.expected(acme, Set.of("P1", "P2"), LocalDate.parse("2021-01-01"), LocalDate.parse("2022-12-31"),
        List.of("P1", "P2", "P3"), List.of("acct-0", "acct-1", "acct-2", "acct-3"));
    assertThat(run.exit()).as(run.err()).isZero();
    List<String> lines = run.out().lines().toList();
    assertThat(lines.get(0)).isEqualTo("Month of Resolution At | Issues resolved");
    assertThat(lines.get(1)).isEqualTo("-----------------------+----------------");
    List<String> body = new ArrayList<>();
    for (List<Object> row : expected) {
      body.add(String.format("%-22s | %15d", row.get(0), (Long) row.get(1)));
    }
    assertThat(lines.subList(2, lines.size() - 1)).containsExactlyElementsOf(body);
    assertThat(lines.get(lines.size() - 1)).isEqualTo("(" + expected.size() + " rows)");
  }

  @Test
  void csvQuotesWhatNeedsQuotingAndLeavesNullEmpty() {
    Run run = cli("--root", root.toString(), "--workspace", "acme", "--format", "csv",
        "SELECT 'a,b' AS x, 'say \"hi\"' AS y, NULL AS z, 2 AS n, ['l1', 'l2'] AS l");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).isEqualTo("x,y,z,n,l\r\n\"a,b\",\"say \"\"hi\"\"\",,2,\"[\"\"l1\"\",\"\"l2\"\"]\"\r\n");
  }

  @Test
  void jsonHasTheHttpEndpointsShape() throws Exception {
    Run run = cli("--root", root.toString(), "--workspace", "acme", "--format", "json", "--scope", "jira_issue.project_id=P2",
        "SELECT count(*) AS n, min(project_id) AS p FROM jira_issue");
    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("columns").get(0).path("name").asText()).isEqualTo("n");
    assertThat(json.path("rows").get(0).get(0).asLong()).isEqualTo(acme.stream().filter(i -> i.projectId().equals("P2")).count());
    assertThat(json.path("rows").get(0).get(1).asText()).isEqualTo("P2");
    assertThat(json.path("truncated").asBoolean()).isFalse();
  }

  @Test
  void tablesListsColumnsAndTheWorkspacesRows() {
    Run run = cli("--root", root.toString(), "--workspace", "acme", "--tables");
    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("jira_issue (60 rows, version 2)", "  resolution_at TIMESTAMPTZ", "jira_project (2 rows, version 2)");
  }

  @Test
  void aRefusedQueryExitsWithOneAndSaysWhy() {
    Run run = cli("--root", root.toString(), "--workspace", "acme", "SELECT * FROM `globex`.`jira_issue`");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err()).startsWith("meshlake query: rejected: table '`globex`.`jira_issue`' is outside this query's workspace 'acme'");
  }

  @Test
  void aFailingQueryExitsWithOne() {
    Run run = cli("--root", root.toString(), "--workspace", "acme", "SELECT nope FROM jira_issue");
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).startsWith("meshlake query: query_failed: Binder Error");
  }

  @Test
  void aWrongCommandLineOrConfigurationExitsWithTwo() {
    assertThat(cli("--root", root.toString(), "SELECT 1").exit()).isEqualTo(2);
    Run noRoot = cli("--root", root.resolve("missing").toString(), "--workspace", "acme", "SELECT 1");
    assertThat(noRoot.exit()).isEqualTo(2);
    assertThat(noRoot.err()).contains("tableRoot " + root.resolve("missing") + " is not a directory");
    Run badWorkspace = cli("--root", root.toString(), "--workspace", "acme/../x", "SELECT 1");
    assertThat(badWorkspace.exit()).isEqualTo(2);
    assertThat(badWorkspace.err()).contains("is not a workspace id");
    Run badScope = cli("--root", root.toString(), "--workspace", "acme", "--scope", "project_id=P1", "SELECT 1");
    assertThat(badScope.exit()).isEqualTo(2);
    assertThat(badScope.err()).contains("--scope 'project_id=P1' must look like TABLE.COLUMN=V1,V2");
    Run noSql = cli("--root", root.toString(), "--workspace", "acme");
    assertThat(noSql.exit()).isEqualTo(2);
    assertThat(noSql.err()).contains("give the SQL to run");
    assertThat(cli("--root", root.toString(), "--workspace", "acme", "--format", "xml", "SELECT 1").exit()).isEqualTo(2);
  }
}
