package io.meshlake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.meshlake.table.delta.TableFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The second lock, on its own: raw SQL sent straight to a locked DuckDB 1.4.4 session, as if the
 * statement guard had let everything through. acme's jira_issue is a view over its files; its
 * jira_project is scoped, hence materialized; globex's files are on the same disk.
 */
class DuckDbLockTest {

  @TempDir static Path root;
  static String ownIssueFile;
  static String ownProjectFile;
  static String otherFile;
  DuckSession session;

  @BeforeAll
  static void writeTables() throws IOException {
    LakeFixture lake = new LakeFixture(root);
    ownIssueFile = path("jira_issue", lake.write("jira_issue", LakeFixture.JIRA_ISSUE, "acme", issues("acme", 4)));
    otherFile = path("jira_issue", lake.write("jira_issue", LakeFixture.JIRA_ISSUE, "globex", issues("globex", 6)));
    // A file whose name extends a view file's: allowed_paths must match whole paths, not prefixes.
    Files.copy(Path.of(otherFile), Path.of(ownIssueFile + ".bak"));
    ownProjectFile = path("jira_project", lake.write("jira_project", LakeFixture.JIRA_PROJECT, "acme",
        List.<Object[]>of(LakeFixture.projectRow("acme", "P1", "Visible"), LakeFixture.projectRow("acme", "P2", "Hidden by scope"))));
  }

  @BeforeEach
  void lockedSession() throws SQLException {
    LakeTables tables = new LakeTables(root);
    session = DuckSession.open(LakeQueryConfig.forRoot(root));
    List<Path> readable = new WorkspaceViews(DeletedRows.fromDeletionVectors()).install(session,
        List.of(tables.forWorkspace("jira_issue", "acme"), tables.forWorkspace("jira_project", "acme")), "acme",
        QueryScope.none().restrict("jira_project", "project_id", List.of("P1")));
    assertThat(readable).containsExactly(Path.of(ownIssueFile));
    session.lock(readable);
  }

  @AfterEach
  void close() throws SQLException {
    session.close();
  }

  @Test
  void theViewsStillReadTheirFilesAfterTheLock() throws SQLException {
    assertThat(single("SELECT count(*) FROM jira_issue")).isEqualTo("4");
    assertThat(single("SELECT string_agg(project_id, ',') FROM jira_project")).isEqualTo("P1");
    // A view's own file is readable directly, and holds only acme's rows.
    assertThat(single("SELECT count(*) FROM read_parquet('" + ownIssueFile + "')")).isEqualTo("4");
  }

  static Stream<Arguments> escapes() {
    return Stream.of(
        arguments("SELECT * FROM read_parquet('<OTHER>')", "Permission Error: Cannot access file"),
        arguments("SELECT * FROM read_parquet('<ROOT>/**/*.parquet')", "Permission Error"),
        arguments("SELECT * FROM read_parquet('<OWN_ISSUE>.bak')", "Permission Error: Cannot access file"),
        arguments("SELECT * FROM read_parquet('<OWN_ISSUE>/../../workspace_id=globex/<OTHER_NAME>')", "Permission Error"),
        arguments("SELECT * FROM read_parquet('file://<OTHER>')", "Permission Error"),
        // The scoped table's file is not allowed: the scope cannot be bypassed by reading the file.
        arguments("SELECT * FROM read_parquet('<OWN_PROJECT>')", "Permission Error: Cannot access file"),
        arguments("SELECT * FROM '<OTHER>'", "Permission Error"),
        arguments("SELECT * FROM glob('<ROOT>/*')", "Permission Error"),
        arguments("SELECT * FROM read_text('/etc/passwd')", "Permission Error"),
        arguments("SELECT * FROM read_csv('/etc/passwd')", "Permission Error"),
        arguments("COPY jira_issue TO '<ROOT>/leak.csv'", "Permission Error"),
        arguments("EXPORT DATABASE '<ROOT>/leak'", "Permission Error"),
        arguments("ATTACH '<ROOT>/leak.db' AS leak", "Permission Error"),
        arguments("INSTALL httpfs", "Permission Error"),
        arguments("LOAD httpfs", "Permission Error"),
        arguments("SET enable_external_access = true", "the configuration has been locked"),
        arguments("RESET enable_external_access", "the configuration has been locked"),
        arguments("SET lock_configuration = false", "the configuration has been locked"),
        arguments("SET allowed_paths = ['<OTHER>']", "the configuration has been locked"),
        arguments("SET allowed_directories = ['/']", "the configuration has been locked"),
        arguments("SELECT getenv('HOME')", "getenv does not exist"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("escapes")
  void aLockedSessionRefusesFilesSettingsAndExtensions(String sql, String error) {
    String expanded = sql.replace("<OTHER_NAME>", Path.of(otherFile).getFileName().toString()).replace("<OWN_ISSUE>", ownIssueFile)
        .replace("<OTHER>", otherFile).replace("<OWN_PROJECT>", ownProjectFile).replace("<ROOT>", root.toString());
    assertThatThrownBy(() -> single(expanded)).isInstanceOf(SQLException.class).hasMessageContaining(error);
  }

  private String single(String sql) throws SQLException {
    try (Statement statement = session.statement()) {
      statement.execute(sql);
      try (ResultSet rs = statement.getResultSet()) {
        rs.next();
        return rs.getString(1);
      }
    }
  }

  private static List<Object[]> issues(String workspace, int n) {
    List<Object[]> rows = new ArrayList<>();
    List<LakeFixture.Issue> issues = LakeFixture.issues(workspace, n, 7);
    for (int i = 0; i < n; i++) {
      rows.add(LakeFixture.issueRow(issues.get(i), i));
    }
    return rows;
  }

  private static String path(String table, TableFile file) {
    return root.resolve(table).resolve(file.path()).toString();
  }
}
