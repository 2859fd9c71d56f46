package io.meshlake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rule of the README's translation table: the DuckDB SQL it produces, and its value in DuckDB. */
class SparkSqlTranslatorTest {

  static final Map<String, String> TABLES = Map.of("jira_issue", "jira_issue", "jira_project", "jira_project");

  @TempDir static Path emptyRoot;
  static LakeQuery duck;

  @BeforeAll
  static void open() {
    duck = new LakeQuery(LakeQueryConfig.forRoot(emptyRoot));
  }

  @AfterAll
  static void close() {
    duck.close();
  }

  static String translate(String sql, Map<String, ?> params) {
    StatementGuard.Checked checked = new StatementGuard(100_000).check(sql, "ws1", TABLES);
    return new SparkSqlTranslator().translate(checked.select(), "ws1", params).sql();
  }

  static Stream<Arguments> rewrites() {
    return Stream.of(
        arguments("SELECT `Jira Issue`.`issue_id` AS `Issue Id` FROM `ws1`.`jira_issue` AS `Jira Issue`",
            "SELECT \"Jira Issue\".\"issue_id\" AS \"Issue Id\" FROM \"jira_issue\" AS \"Jira Issue\""),
        arguments("SELECT `ws1`.`jira_issue`.`issue_id`, ws1.jira_issue.summary FROM `ws1`.`jira_issue`",
            "SELECT \"jira_issue\".\"issue_id\", jira_issue.summary FROM \"jira_issue\""),
        arguments("SELECT \"a\"\"b\", `c\"d` FROM jira_issue t (\"x y\")", "SELECT \"a\"\"b\", \"c\"\"d\" FROM jira_issue t(\"x y\")"),
        arguments("SELECT TIMESTAMP(:start || ' 00:00') + INTERVAL 1 DAY", "SELECT CAST($1 || ' 00:00' AS TIMESTAMPTZ) + INTERVAL 1 DAY"),
        arguments("SELECT DATE_FORMAT(created_at, 'yyyy-MM') FROM jira_issue", "SELECT strftime(created_at, '%Y-%m') FROM jira_issue"),
        arguments("SELECT TIMESTAMP('2024-01-01')", "SELECT CAST('2024-01-01' AS TIMESTAMPTZ)"),
        arguments("SELECT TIMESTAMP(:start) + INTERVAL 1 DAY", "SELECT CAST($1 AS TIMESTAMPTZ) + INTERVAL 1 DAY"),
        arguments("SELECT COUNT(DISTINCT issue_id) FROM jira_issue LIMIT 10", "SELECT COUNT(DISTINCT issue_id) FROM jira_issue LIMIT 10"),
        arguments("SELECT TO_TIMESTAMP('05/03/2024', 'dd/MM/yyyy')", "SELECT CAST(strptime('05/03/2024', '%d/%m/%Y') AS TIMESTAMPTZ)"),
        arguments("SELECT DATE(created_at), TO_DATE('2024-01-01')", "SELECT CAST(created_at AS DATE), CAST('2024-01-01' AS DATE)"),
        arguments("SELECT NVL(summary, 'none') FROM jira_issue", "SELECT coalesce(summary, 'none') FROM jira_issue"),
        arguments("SELECT DATEDIFF(updated_at, created_at) FROM jira_issue",
            "SELECT date_diff('day', CAST(created_at AS DATE), CAST(updated_at AS DATE)) FROM jira_issue"),
        arguments("SELECT DATE_ADD(created_at, 3), DATE_SUB(created_at, 1) FROM jira_issue",
            "SELECT (CAST(created_at AS DATE) + 3), (CAST(created_at AS DATE) - 1) FROM jira_issue"),
        arguments("SELECT SIZE(labels), UNIX_TIMESTAMP(created_at) FROM jira_issue",
            "SELECT len(labels), CAST(epoch(created_at) AS BIGINT) FROM jira_issue"),
        arguments("SELECT 1 FROM jira_issue WHERE summary RLIKE '^a' AND summary NOT RLIKE 'b$'",
            "SELECT 1 FROM jira_issue WHERE regexp_matches(summary, '^a') AND NOT regexp_matches(summary, 'b$')"),
        arguments("SELECT 1 FROM jira_issue WHERE project_id IN (:p) AND assignee_account_id = :a OR project_id IN (:p)",
            "SELECT 1 FROM jira_issue WHERE project_id IN ($1, $2) AND assignee_account_id = $3 OR project_id IN ($1, $2)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rewrites")
  void sparkSqlIsRewrittenForDuckDb(String spark, String duckDb) {
    assertThat(translate(spark, Map.of("start", "2024-01-01", "p", List.of("P1", "P2"), "a", "acct-1"))).isEqualTo(duckDb);
  }

  static Stream<Arguments> values() {
    return Stream.of(
        arguments("DATE_FORMAT(TIMESTAMP('2024-03-05 07:08:09.123'), 'yyyy-MM-dd HH:mm:ss.SSS')", "2024-03-05 07:08:09.123"),
        arguments("DATE_FORMAT(TIMESTAMP('2024-03-05 17:08:09'), 'd/M/yy h a, EEE MMM')", "5/3/24 5 PM, Tue Mar"),
        arguments("DATE_FORMAT(TIMESTAMP('2024-03-05'), 'EEEE d MMMM yyyy, D''th day''')", "Tuesday 5 March 2024, 65th day"),
        arguments("DATE_FORMAT(TIMESTAMP('2024-03-05'), 'yyyy-MM''T''100%')", "2024-03T100%"),
        arguments("TIMESTAMP('2024-01-31') + INTERVAL 1 DAY", "2024-02-01T00:00Z"),
        arguments("TIMESTAMP('2024-01-31 10:00:00') < TIMESTAMP('2024-01-31') + INTERVAL 1 DAY", true),
        arguments("TO_DATE('05/03/2024', 'dd/MM/yyyy')", "2024-03-05"),
        arguments("DATE('2024-03-05 23:59:59')", "2024-03-05"),
        arguments("NVL(NULL, 'x')", "x"),
        arguments("DATEDIFF('2024-03-01', '2024-02-28')", 2L),
        arguments("DATEDIFF(TIMESTAMP('2024-03-01 00:30:00'), TIMESTAMP('2024-02-29 23:30:00'))", 1L),
        arguments("DATE_ADD('2024-02-28', 2)", "2024-03-01"),
        arguments("DATE_SUB('2024-03-01', 1)", "2024-02-29"),
        arguments("SIZE(['a', 'b', 'c'])", 3L),
        arguments("UNIX_TIMESTAMP(TIMESTAMP('1970-01-02'))", 86400L),
        arguments("'issue-42' RLIKE 'issue-[0-9]+'", true),
        arguments("COUNT(DISTINCT x) FROM (VALUES (1), (1), (2)) AS t(x)", 2L),
        // Unchanged: the same meaning in both dialects.
        arguments("CAST(42 AS STRING)", "42"),
        arguments("IF(1 > 0, 'y', 'n')", "y"),
        arguments("ARRAY_CONTAINS(['a', 'b'], 'b')", true),
        arguments("CONCAT('a', 'b', 'c')", "abc"),
        arguments("DATE_TRUNC('MONTH', TIMESTAMP('2024-03-05 10:00:00'))", "2024-03-01T00:00Z"),
        arguments("MONTH(TIMESTAMP('2024-03-05 10:00:00'))", 3L),
        arguments("count(*) FROM (SELECT unnest(['a', 'b']) AS label) t", 2L));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("values")
  void translatedExpressionsHaveTheirSparkValueInDuckDb(String expression, Object expected) {
    assertThat(duck.query("ws1", "SELECT " + expression).rows()).containsExactly(List.of(expected));
  }

  @Test
  void aParameterIsBoundNotSplicedAndReusedByName() {
    QueryResult result = duck.query("ws1", QueryScope.none(), "SELECT :v AS a, :v = 'x'' OR ''1''=''1' AS b, :n + 1 AS c",
        Map.of("v", "x' OR '1'='1", "n", 41));
    assertThat(result.rows()).containsExactly(List.of("x' OR '1'='1", true, 42));
  }

  @Test
  void missingMisplacedOrMalformedParametersAreRefusedByName() {
    assertThatThrownBy(() -> translate("SELECT :start", Map.of())).hasMessageContaining("parameter :start has no value");
    assertThatThrownBy(() -> translate("SELECT coalesce(:p)", Map.of("p", List.of("a")))).hasMessageContaining("list parameter :p can only be used as IN (:p)");
    assertThatThrownBy(() -> translate("SELECT 1 FROM jira_issue WHERE project_id IN (:p)", Map.of("p", List.of())))
        .hasMessageContaining("list parameter :p is empty");
    assertThatThrownBy(() -> translate("SELECT :m", Map.of("m", Map.of("a", 1)))).hasMessageContaining("parameter :m must be a string");
  }

  @Test
  void unsupportedPatternsAndArgumentsAreRefusedClearly() {
    assertThatThrownBy(() -> translate("SELECT DATE_FORMAT(created_at, 'yyyy-QQ') FROM jira_issue", Map.of()))
        .hasMessageContaining("'QQ' is not supported");
    assertThatThrownBy(() -> translate("SELECT DATE_FORMAT(created_at, summary) FROM jira_issue", Map.of()))
        .hasMessageContaining("DATE_FORMAT's pattern must be a string literal");
    assertThatThrownBy(() -> translate("SELECT TIMESTAMP('a', 'b')", Map.of())).hasMessageContaining("TIMESTAMP takes 1 argument, got 2");
  }
}
