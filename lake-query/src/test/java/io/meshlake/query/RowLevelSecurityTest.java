package io.meshlake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.meshlake.table.delta.TableFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Attempts by workspace {@code acme} to reach workspace {@code globex}'s rows (or anything outside
 * its own rows), one per line, each with its exact outcome: refused with this message, failed in
 * DuckDB, or answered with only acme's rows. acme has 5 issues, globex 7, so a count says whose
 * rows were read. {@code <OTHER_FILE>}, {@code <ROOT>} and {@code <OWN_FILE>} stand for real paths.
 */
class RowLevelSecurityTest {

  @TempDir static Path root;
  static LakeQuery query;
  static String otherFile;
  static String ownFile;

  @BeforeAll
  static void writeTwoWorkspaces() {
    LakeFixture lake = new LakeFixture(root);
    ownFile = path(lake.write("jira_issue", LakeFixture.JIRA_ISSUE, "acme", rows(LakeFixture.issues("acme", 5, 11))));
    otherFile = path(lake.write("jira_issue", LakeFixture.JIRA_ISSUE, "globex", rows(LakeFixture.issues("globex", 7, 12))));
    lake.write("jira_project", LakeFixture.JIRA_PROJECT, "globex", List.<Object[]>of(LakeFixture.projectRow("globex", "P1", "Secret")));
    query = new LakeQuery(LakeQueryConfig.forRoot(root));
  }

  @AfterAll
  static void close() {
    query.close();
  }

  /** What must happen. */
  record Outcome(QueryException.Kind kind, String message, List<List<Object>> rows) {
    static Outcome refused(String message) {
      return new Outcome(QueryException.Kind.REJECTED, message, null);
    }

    static Outcome failed(String message) {
      return new Outcome(QueryException.Kind.QUERY_FAILED, message, null);
    }

    static Outcome answered(List<List<Object>> rows) {
      return new Outcome(null, null, rows);
    }

    @Override
    public String toString() {
      return kind == null ? "rows " + rows : kind + " \"" + message + "\"";
    }
  }

  static final Outcome ONLY_OWN_COUNT = Outcome.answered(List.of(List.of(5L)));
  static final Outcome NO_ROWS = Outcome.answered(List.of());
  static final Outcome TABLE_FUNCTION = Outcome.refused("table functions such as");
  static final Outcome ONLY_SELECT = Outcome.refused("only a single SELECT (or WITH ... SELECT) statement is allowed");
  static final Outcome OTHER_WORKSPACE = Outcome.refused("is outside this query's workspace 'acme'");

  static Stream<Arguments> attempts() {
    return Stream.of(
        // The other workspace's id in predicates: the rows are simply not there.
        attempt("other id in WHERE", "SELECT count(*) FROM jira_issue WHERE workspace_id = 'globex'", Outcome.answered(List.of(List.of(0L)))),
        attempt("other id OR TRUE", "SELECT DISTINCT workspace_id FROM jira_issue WHERE workspace_id = 'globex' OR 1 = 1",
            Outcome.answered(List.of(List.of("acme")))),
        attempt("other id in a join of the same table", "SELECT count(*) FROM jira_issue a JOIN jira_issue b ON b.workspace_id = 'globex'",
            Outcome.answered(List.of(List.of(0L)))),
        attempt("UNION with a crafted subquery", "SELECT issue_id FROM jira_issue WHERE workspace_id = 'globex' "
            + "UNION ALL SELECT t.issue_id FROM (SELECT * FROM jira_issue WHERE workspace_id <> 'acme') t", NO_ROWS),
        attempt("UNION with read_parquet of the other file", "SELECT issue_id FROM jira_issue UNION SELECT issue_id FROM read_parquet('<OTHER_FILE>')",
            TABLE_FUNCTION),
        attempt("read_parquet of the other workspace's file", "SELECT * FROM read_parquet('<OTHER_FILE>')", TABLE_FUNCTION),
        attempt("read_parquet glob over the root", "SELECT count(*) FROM read_parquet('<ROOT>/**/*.parquet')", TABLE_FUNCTION),
        attempt("read_parquet even of its own file", "SELECT count(*) FROM read_parquet('<OWN_FILE>')", TABLE_FUNCTION),
        attempt("file path as a table (replacement scan)", "SELECT count(*) FROM '<OTHER_FILE>'", Outcome.refused("unknown table ''<OTHER_FILE>''")),
        attempt("quoted file path as a table", "SELECT count(*) FROM \"<OTHER_FILE>\"", Outcome.refused("is not a table of this lake")),
        attempt("read_csv of a system file", "SELECT * FROM read_csv('/etc/passwd')", TABLE_FUNCTION),
        attempt("read_json in a scalar subquery", "SELECT (SELECT count(*) FROM read_json('<ROOT>/jira_issue/_delta_log/00000000000000000000.json'))",
            TABLE_FUNCTION),
        attempt("read_text as a scalar", "SELECT read_text('/etc/passwd')", Outcome.refused("function read_text() is not allowed")),
        attempt("glob() of paths", "SELECT * FROM glob('<ROOT>/*')", TABLE_FUNCTION),
        attempt("table function inside parentheses of a join",
            "SELECT count(*) FROM (jira_issue JOIN read_parquet('<OTHER_FILE>') AS p ON TRUE)", TABLE_FUNCTION),
        attempt("table function in a LATERAL join", "SELECT count(*) FROM jira_issue, LATERAL (SELECT * FROM read_parquet('<OTHER_FILE>')) x",
            TABLE_FUNCTION),
        attempt("CTE shadowing a table", "WITH jira_issue AS (SELECT * FROM read_parquet('<OTHER_FILE>')) SELECT count(*) FROM jira_issue",
            TABLE_FUNCTION),
        attempt("query() running SQL text", "SELECT * FROM query('SELECT * FROM read_parquet(''<OTHER_FILE>'')')", TABLE_FUNCTION),
        attempt("COPY a table to a file", "COPY jira_issue TO '/tmp/leak.csv'", ONLY_SELECT),
        attempt("COPY a query to a file", "COPY (SELECT * FROM jira_issue) TO '/tmp/leak.parquet' (FORMAT parquet)", ONLY_SELECT),
        attempt("ATTACH another database", "ATTACH '<ROOT>/x.db' AS x", ONLY_SELECT),
        attempt("INSTALL an extension", "INSTALL httpfs", ONLY_SELECT),
        attempt("LOAD an extension", "LOAD httpfs", ONLY_SELECT),
        attempt("SET re-enabling external access", "SET enable_external_access = true",
            Outcome.refused("only SELECT queries are allowed, not SET")),
        attempt("RESET the configuration lock", "RESET lock_configuration", Outcome.refused("only SELECT queries are allowed, not RESET")),
        attempt("PRAGMA", "PRAGMA database_list", ONLY_SELECT),
        attempt("CALL", "CALL pragma_version()", Outcome.refused("only SELECT queries are allowed, not EXECUTE")),
        attempt("CREATE TABLE AS", "CREATE TABLE leak AS SELECT * FROM jira_issue",
            Outcome.refused("only SELECT queries are allowed, not CREATE TABLE")),
        attempt("DROP", "DROP TABLE jira_issue", Outcome.refused("only SELECT queries are allowed, not DROP")),
        attempt("INSERT", "INSERT INTO jira_issue SELECT * FROM jira_issue",
            Outcome.refused("only SELECT queries are allowed, not INSERT")),
        attempt("SELECT INTO", "SELECT * INTO leak FROM jira_issue", Outcome.refused("SELECT ... INTO is not allowed")),
        attempt("two statements", "SELECT 1; SELECT count(*) FROM read_parquet('<OTHER_FILE>')", Outcome.refused("exactly one statement is allowed; found 2")),
        attempt("a statement after a comment", "SELECT count(*) FROM jira_issue -- harmless\n; SET enable_external_access = true",
            Outcome.refused("exactly one statement is allowed; found 2")),
        attempt("comments hiding nothing", "SELECT count(*) /* ; DROP TABLE jira_issue; */ FROM jira_issue -- WHERE workspace_id = 'globex'",
            ONLY_OWN_COUNT),
        // A parser that read \' as an escaped quote would see one string here where DuckDB sees code.
        attempt("backslash-escaped quote hiding code", "SELECT 'a\\' , (SELECT 1) , --' AS x FROM jira_issue",
            Outcome.refused("could not be parsed as one: Encountered unexpected token: \",\"")),
        attempt("backslash before a quote is an ordinary character", "SELECT count(*) FROM jira_issue WHERE 'a\\' = 'a\\'",
            ONLY_OWN_COUNT),
        attempt("escape-string literal", "SELECT E'\\x27' FROM jira_issue", Outcome.refused("string literals with a prefix (E'...')")),
        attempt("doubled quotes in a literal stay a literal", "SELECT count(*) FROM jira_issue WHERE summary = 'x'' OR workspace_id = ''globex'' OR ''1'' = ''1'",
            Outcome.answered(List.of(List.of(0L)))),
        attempt("zero-width space in a table name", "SELECT count(*) FROM \"jira_issue\u200b\"", Outcome.refused("unknown table 'jira_issue\u200b'")),
        attempt("full-width letters in a table name", "SELECT count(*) FROM \"ｊira_issue\"", Outcome.refused("unknown table 'ｊira_issue'")),
        attempt("unicode escape literal", "SELECT count(*) FROM jira_issue WHERE workspace_id = U&'\\0067lobex'",
            Outcome.failed("Referenced column \"U\" not found")),
        attempt("other workspace as qualifier (backticks)", "SELECT count(*) FROM `globex`.`jira_issue`", OTHER_WORKSPACE),
        attempt("other workspace as qualifier (double quotes)", "SELECT count(*) FROM \"globex\".jira_issue", OTHER_WORKSPACE),
        attempt("other workspace qualifier in a join", "SELECT count(*) FROM `acme`.`jira_issue` i JOIN `globex`.`jira_project` p ON TRUE",
            OTHER_WORKSPACE),
        attempt("own workspace as qualifier", "SELECT count(*) FROM `acme`.`jira_issue`", ONLY_OWN_COUNT),
        attempt("catalog-qualified table", "SELECT count(*) FROM memory.main.jira_issue", Outcome.refused("is not a table of this lake")),
        attempt("information_schema", "SELECT * FROM information_schema.tables", Outcome.refused("is outside this query's workspace")),
        attempt("system view without parentheses", "SELECT * FROM sqlite_master", Outcome.refused("unknown table 'sqlite_master'")),
        attempt("duckdb_settings()", "SELECT * FROM duckdb_settings()", TABLE_FUNCTION),
        attempt("duckdb_views() showing view SQL", "SELECT sql FROM duckdb_views()", TABLE_FUNCTION),
        attempt("parquet_metadata of a file", "SELECT * FROM parquet_metadata('<OTHER_FILE>')", TABLE_FUNCTION),
        attempt("getenv", "SELECT getenv('HOME')", Outcome.refused("function getenv() is not allowed")),
        attempt("current_setting", "SELECT current_setting('allowed_paths')", Outcome.refused("function current_setting() is not allowed")),
        attempt("qualified function", "SELECT main.getenv('HOME')", Outcome.refused("qualified function names")),
        attempt("positional parameter", "SELECT count(*) FROM jira_issue WHERE workspace_id = ?", Outcome.refused("positional parameters")),
        attempt("DuckDB numbered parameter", "SELECT count(*) FROM jira_issue WHERE workspace_id = $1", Outcome.refused("positional parameters ($1) are not supported")),
        attempt("FROM-first syntax", "FROM read_parquet('<OTHER_FILE>')", Outcome.refused("only SELECT queries are allowed, not FROM QUERY")),
        attempt("DESCRIBE", "DESCRIBE jira_issue", Outcome.refused("only SELECT queries are allowed, not DESCRIBE")),
        attempt("line comment the parser sees and DuckDB does not", "SELECT count(*) // 2 FROM read_parquet('<OTHER_FILE>')\nFROM jira_issue",
            Outcome.refused("'//' is not supported")),
        attempt("dollar-quoted string as a name", "SELECT $$x$$ FROM jira_issue", Outcome.refused("is not a plain name")),
        attempt("column of the other workspace's table", "SELECT globex.jira_issue.issue_id FROM jira_issue",
            Outcome.failed("Referenced table \"globex.jira_issue\" not found")),
        attempt("named parameter carrying SQL", "SELECT count(*) FROM jira_issue WHERE workspace_id = :ws OR :ws = 'x'", "ws",
            "acme' OR workspace_id = 'globex", Outcome.answered(List.of(List.of(0L)))),
        attempt("list parameter carrying SQL", "SELECT count(*) FROM jira_issue WHERE project_id IN (:p)", "p",
            List.of("P1') OR ('1' = '1", "P2"), Outcome.answered(List.of(List.of(acmeIn("P2"))))));
  }

  static Stream<Arguments> scopeAttempts() {
    return Stream.of(
        arguments("scope value closing the IN list", "project_id", List.of("P1') OR workspace_id = 'globex' OR ('"),
            Outcome.answered(List.of(List.of(0L)))),
        arguments("scope value with a comment", "project_id", List.of("P1' --"), Outcome.answered(List.of(List.of(0L)))),
        arguments("scope column name with SQL", "project_id) OR (1 = 1", List.of("P1"),
            Outcome.refused("scope column 'project_id) OR (1 = 1' is not a plain name")),
        arguments("scope on the workspace column itself", "workspace_id", List.of("globex"), Outcome.answered(List.of(List.of(0L)))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attempts")
  void anAttemptToReachAnotherWorkspaceFailsOrSeesOnlyTheCallersRows(String name, String sql, Map<String, Object> params, Outcome outcome) {
    check(() -> query.query("acme", QueryScope.none(), expand(sql), params), outcome);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scopeAttempts")
  void aScopeCannotBeEscapedThroughItsValuesOrNames(String name, String column, List<Object> values, Outcome outcome) {
    check(() -> query.query("acme", QueryScope.none().restrict("jira_issue", column, values), "SELECT count(*) FROM jira_issue", Map.of()),
        outcome);
  }

  private static void check(java.util.function.Supplier<QueryResult> run, Outcome outcome) {
    if (outcome.kind() == null) {
      assertThat(run.get().rows()).isEqualTo(outcome.rows());
      return;
    }
    QueryException e = catchThrowableOfType(QueryException.class, run::get);
    assertThat(e).as("expected %s", outcome).isNotNull();
    assertThat(e.kind()).as(e.getMessage()).isEqualTo(outcome.kind());
    assertThat(e.getMessage()).contains(expand(outcome.message()));
  }

  private static Arguments attempt(String name, String sql, Outcome outcome) {
    return arguments(name, sql, Map.of(), outcome);
  }

  private static Arguments attempt(String name, String sql, String param, Object value, Outcome outcome) {
    return arguments(name, sql, Map.of(param, value), outcome);
  }

  private static long acmeIn(String project) {
    return LakeFixture.issues("acme", 5, 11).stream().filter(i -> i.projectId().equals(project)).count();
  }

  private static String expand(String text) {
    return text.replace("<OTHER_FILE>", otherFile).replace("<OWN_FILE>", ownFile).replace("<ROOT>", root.toString());
  }

  private static String path(TableFile file) {
    return root.resolve("jira_issue").resolve(file.path()).toString();
  }

  private static List<Object[]> rows(List<LakeFixture.Issue> issues) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < issues.size(); i++) {
      rows.add(LakeFixture.issueRow(issues.get(i), i));
    }
    return rows;
  }
}
