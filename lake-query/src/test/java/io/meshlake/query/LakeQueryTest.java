package io.meshlake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.table.delta.TableFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeQueryTest {

  @TempDir static Path root;
  static LakeFixture lake;
  static LakeQuery query;
  static List<LakeFixture.Issue> ws1Issues;
  static List<LakeFixture.Issue> ws2Issues;

  @BeforeAll
  static void writeTables() {
    lake = new LakeFixture(root);
    ws1Issues = LakeFixture.issues("ws1", 300, 1);
    ws2Issues = LakeFixture.issues("ws2", 400, 2);
    // ws1's issues in two files; ws2's in one; the same issue ids never collide across workspaces.
    writeIssues("ws1", ws1Issues.subList(0, 150));
    writeIssues("ws1", ws1Issues.subList(150, 300));
    writeIssues("ws2", ws2Issues);
    // ws1 has no project P3; ws2 has. A join that saw ws2's projects would count ws1's P3 issues.
    lake.write("jira_project", LakeFixture.JIRA_PROJECT, "ws1",
        List.<Object[]>of(LakeFixture.projectRow("ws1", "P1", "Alpha"), LakeFixture.projectRow("ws1", "P2", "Beta")));
    lake.write("jira_project", LakeFixture.JIRA_PROJECT, "ws2", List.<Object[]>of(LakeFixture.projectRow("ws2", "P1", "Other alpha"),
        LakeFixture.projectRow("ws2", "P2", "Other beta"), LakeFixture.projectRow("ws2", "P3", "Other gamma")));
    query = new LakeQuery(LakeQueryConfig.forRoot(root));
  }

  @AfterAll
  static void close() {
    query.close();
  }

  static void writeIssues(String workspace, List<LakeFixture.Issue> issues) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < issues.size(); i++) {
      rows.add(LakeFixture.issueRow(issues.get(i), i));
    }
    lake.write("jira_issue", LakeFixture.JIRA_ISSUE, workspace, rows);
  }

  @Test
  void theSeedsIssuesResolvedQueryCountsTheCallersIssuesPerMonth() {
    List<String> projects = List.of("P1", "P2", "P3");
    List<String> assignees = List.of("acct-0", "acct-1", "acct-3");
    QueryResult result = query.query("ws1", QueryScope.none(), SeedQuery.withParameters("ws1"),
        Map.of("start", "2021-03-01", "end", "2022-02-28", "projects", projects, "assignees", assignees));

    List<List<Object>> expected = SeedQuery.expected(ws1Issues, Set.of("P1", "P2"), LocalDate.parse("2021-03-01"),
        LocalDate.parse("2022-02-28"), projects, assignees);
    assertThat(expected).hasSizeGreaterThan(5);
    assertThat(result.columns()).extracting(QueryResult.Column::name).containsExactly("Month of Resolution At", "Issues resolved");
    assertThat(result.rows()).containsExactlyElementsOf(expected);
    assertThat(result.truncated()).isFalse();
  }

  @Test
  void theSeedQueryWithItsPlaceholdersExpandedAsLiteralsGivesTheSameAnswer() {
    List<String> projects = List.of("P2");
    List<String> assignees = List.of("acct-0", "acct-1", "acct-2", "acct-3");
    QueryResult result = query.query("ws2", SeedQuery.withLiterals("ws2", "2022-02-01", "2022-03-01", projects, assignees));

    List<List<Object>> expected = SeedQuery.expected(ws2Issues, Set.of("P1", "P2", "P3"), LocalDate.parse("2022-02-01"),
        LocalDate.parse("2022-03-01"), projects, assignees);
    // The boundary instants (Feb 28 23:59:59.999999, Mar 1 00:00) fall in both months of the range.
    assertThat(expected).extracting(r -> r.get(0)).contains("2022-02", "2022-03");
    assertThat(result.rows()).containsExactlyElementsOf(expected);
  }

  @Test
  void anotherWorkspacesRowsAreNeverCounted() {
    QueryResult ws1 = query.query("ws1", "SELECT count(*) AS n, count(DISTINCT workspace_id) AS w, min(workspace_id) AS ws FROM jira_issue");
    assertThat(ws1.rows()).containsExactly(List.of(300L, 1L, "ws1"));
    QueryResult unknown = query.query("nobody", "SELECT count(*) FROM jira_issue");
    assertThat(unknown.rows()).containsExactly(List.of(0L));
  }

  @Test
  void aWorkspaceWithoutFilesSeesEmptyTablesWithTheirColumns() {
    QueryResult result = query.query("empty-ws", "SELECT * FROM jira_project");
    assertThat(result.rows()).isEmpty();
    assertThat(result.columns()).extracting(QueryResult.Column::name).startsWith("workspace_id", "resource_ari", "_version");
    assertThat(result.columns()).filteredOn(c -> c.name().equals("created_at")).extracting(QueryResult.Column::type)
        .containsExactly("TIMESTAMP WITH TIME ZONE");
  }

  @Test
  void removedFilesStillOnDiskAreNeverRead(@TempDir Path other) throws Exception {
    LakeFixture fixture = new LakeFixture(other);
    TableFile first = fixture.write("jira_user", LakeFixture.JIRA_USER, "ws1",
        List.<Object[]>of(LakeFixture.userRow("ws1", "old-1"), LakeFixture.userRow("ws1", "old-2")));
    fixture.replace("jira_user", LakeFixture.JIRA_USER, "ws1", List.<Object[]>of(LakeFixture.userRow("ws1", "new-1")), List.of(first));
    assertThat(other.resolve("jira_user").resolve(first.path())).exists();

    try (LakeQuery lakeQuery = new LakeQuery(LakeQueryConfig.forRoot(other))) {
      assertThat(lakeQuery.query("ws1", "SELECT account_id FROM jira_user ORDER BY 1").rows()).containsExactly(List.of("new-1"));
      // Not even through the directory: read_parquet is refused, and the removed file is not readable.
      assertThatThrownBy(() -> lakeQuery.query("ws1", "SELECT * FROM read_parquet('" + other.resolve("jira_user").resolve(first.path()) + "')"))
          .isInstanceOf(QueryException.class).hasMessageContaining("table functions");
    }
  }

  @Test
  void scopeNarrowsATableAndTheQueryCannotWidenIt() {
    QueryScope scope = QueryScope.none().restrict("jira_issue", "project_id", List.of("P1"));
    QueryResult result = query.query("ws1", scope,
        "SELECT DISTINCT project_id FROM jira_issue WHERE project_id = 'P2' OR 1 = 1 ORDER BY 1", Map.of());
    assertThat(result.rows()).containsExactly(List.of("P1"));
    long p1 = ws1Issues.stream().filter(i -> i.projectId().equals("P1")).count();
    assertThat(query.query("ws1", scope, "SELECT count(*) FROM jira_issue", Map.of()).rows()).containsExactly(List.of(p1));
    // Other tables are not narrowed by a jira_issue scope.
    assertThat(query.query("ws1", scope, "SELECT count(*) FROM jira_project", Map.of()).rows()).containsExactly(List.of(2L));
  }

  @Test
  void scopeValuesAreBoundNotSpliced() {
    QueryScope scope = QueryScope.none().restrict("jira_issue", "project_id", List.of("P1') OR ('1' = '1", "P1\" OR TRUE --"));
    assertThat(query.query("ws1", scope, "SELECT count(*) FROM jira_issue", Map.of()).rows()).containsExactly(List.of(0L));
    QueryScope nothing = QueryScope.none().restrict("jira_issue", "assignee_account_id", List.of());
    assertThat(query.query("ws1", nothing, "SELECT count(*) FROM jira_issue", Map.of()).rows()).containsExactly(List.of(0L));
  }

  @Test
  void scopeOnAnUnknownTableOrColumnIsRefusedByName() {
    assertThatThrownBy(() -> query.query("ws1", QueryScope.none().restrict("jira_issues", "project_id", List.of("P1")),
        "SELECT 1", Map.of())).hasMessageContaining("scope names table jira_issues, which does not exist");
    assertThatThrownBy(() -> query.query("ws1", QueryScope.none().restrict("jira_issue", "project", List.of("P1")),
        "SELECT count(*) FROM jira_issue", Map.of())).hasMessageContaining("scope column project is not a column of table jira_issue");
  }

  @Test
  void aLongResultIsCutAtTheRowLimitAndFlagged() {
    try (LakeQuery limited = new LakeQuery(LakeQueryConfig.forRoot(root).withMaxRows(7))) {
      QueryResult result = limited.query("ws1", "SELECT issue_id FROM jira_issue ORDER BY issue_id");
      assertThat(result.rows()).hasSize(7);
      assertThat(result.truncated()).isTrue();
      assertThat(limited.query("ws1", "SELECT issue_id FROM jira_issue ORDER BY issue_id LIMIT 7").truncated()).isFalse();
    }
  }

  @Test
  void aQueryOverItsTimeIsCancelled() {
    try (LakeQuery slow = new LakeQuery(LakeQueryConfig.forRoot(root).withTimeout(Duration.ofMillis(700)))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> slow.query("ws2", "SELECT count(*) FROM jira_issue a, jira_issue b, jira_issue c, jira_issue d "
          + "WHERE a.summary || b.summary || c.summary || d.summary LIKE '%zz%'"))
          .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.TIMEOUT))
          .hasMessageContaining("timeout of 700 ms");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(slow.metrics().count("timeout")).isEqualTo(1);
    }
  }

  @Test
  void aQueryReadingMoreThanTheScanLimitIsRefusedBeforeRunning() {
    try (LakeQuery small = new LakeQuery(LakeQueryConfig.forRoot(root).withMaxScanBytes(100))) {
      assertThatThrownBy(() -> small.query("ws1", "SELECT count(*) FROM jira_issue"))
          .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.LIMIT_EXCEEDED))
          .hasMessageContaining("more than maxScanBytes (100)");
    }
  }

  @Test
  void duckDbErrorsInTheCallersSqlComeBackAsQueryFailures() {
    assertThatThrownBy(() -> query.query("ws1", "SELECT no_such_column FROM jira_issue"))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.QUERY_FAILED))
        .hasMessageContaining("no_such_column");
  }

  @Test
  void unparsableQueriesLeaveNoThreadBehind() {
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> query.query("ws1", "SELEKT 1")).isInstanceOf(QueryException.class);
    }
    long before = nonDaemonThreads();
    for (int i = 0; i < 20; i++) {
      assertThatThrownBy(() -> query.query("ws1", "SELECT FROM WHERE " + System.nanoTime())).hasMessageContaining("could not be parsed");
    }
    assertThat(nonDaemonThreads()).isLessThanOrEqualTo(before);
  }

  private static long nonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon()).count();
  }

  @Test
  void valuesComeBackAsPlainJavaValues() {
    QueryResult result = query.query("ws1", "SELECT issue_id, _version, story_points, labels, is_resolved, resolution_at, "
        + "CAST(resolution_at AS DATE) AS d FROM jira_issue WHERE resolution_at IS NOT NULL ORDER BY issue_id LIMIT 1");
    List<Object> row = result.rows().get(0);
    assertThat(row.get(0)).isInstanceOf(String.class);
    assertThat(row.get(1)).isEqualTo(1L);
    assertThat(row.get(2)).isInstanceOf(Integer.class);
    assertThat(row.get(3)).isInstanceOf(List.class);
    assertThat(row.get(4)).isEqualTo(true);
    assertThat((String) row.get(5)).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
    assertThat((String) row.get(6)).matches("\\d{4}-\\d{2}-\\d{2}");
  }

  @Test
  void tablesListsEachTableWithTheWorkspacesRowCountAndColumns() {
    List<TableInfo> tables = query.tables("ws1");
    assertThat(tables).extracting(TableInfo::name).containsExactly("jira_issue", "jira_project");
    assertThat(tables.get(0).rows()).isEqualTo(300);
    assertThat(tables.get(1).rows()).isEqualTo(2);
    assertThat(tables.get(0).columns()).extracting(QueryResult.Column::name).contains("issue_id", "resolution_at");
  }

  @Test
  void metricsCountQueriesByOutcome() throws Exception {
    try (LakeQuery counted = new LakeQuery(LakeQueryConfig.forRoot(root))) {
      counted.query("ws1", "SELECT 1");
      assertThatThrownBy(() -> counted.query("ws1", "DROP TABLE jira_issue")).isInstanceOf(QueryException.class);
      assertThatThrownBy(() -> counted.query("ws1", "SELECT nope FROM jira_issue")).isInstanceOf(QueryException.class);
      assertThat(counted.metrics().count("ok")).isEqualTo(1);
      assertThat(counted.metrics().count("rejected")).isEqualTo(1);
      assertThat(counted.metrics().count("error")).isEqualTo(1);
      assertThat(counted.metrics().prometheus()).contains("meshlake_query_total{outcome=\"rejected\"} 1",
          "meshlake_query_duration_seconds_count 3");
    }
    assertThat(Files.list(root).map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("jira_issue", "jira_project");
  }
}
