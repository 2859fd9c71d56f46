package io.meshlake.sink.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.meshlake.contracts.manifest.WriterType;
import io.meshlake.contracts.model.ModelException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Everything outside the streaming subset fails at compile time, naming the model and what is wrong. */
class RejectionTest {

  static Stream<Arguments> rejected() {
    return Stream.of(
        // more than one source
        arguments("SELECT n FROM src JOIN other ON src.n = other.n", "JOIN is not allowed in a streaming model; joins belong to enhanced views"),
        arguments("SELECT n FROM src, other", "JOIN is not allowed"),
        arguments("SELECT n FROM jira.JiraIssue", "reads jira.JiraIssue; a model reads only its source {{ source('test', 'Thing') }}"),
        arguments("SELECT n FROM other", "reads other; a model reads only its source"),
        arguments("SELECT 1 AS n", "has no FROM"),
        // subqueries
        arguments("SELECT n FROM (SELECT n FROM src) t", "subqueries in FROM are not allowed"),
        arguments("SELECT n FROM src WHERE n IN (SELECT n FROM src)", "subqueries are not allowed"),
        arguments("SELECT n FROM src WHERE EXISTS (SELECT 1 FROM src)", "subqueries are not allowed"),
        arguments("SELECT (SELECT 1) AS v, n FROM src", "subqueries are not allowed"),
        arguments("SELECT n FROM src WHERE n = ANY (SELECT n FROM src)", "subqueries are not allowed"),
        // aggregation, windows, ordering
        arguments("SELECT n FROM src GROUP BY n", "GROUP BY is not allowed in a streaming model"),
        arguments("SELECT n FROM src HAVING n > 1", "HAVING is not allowed"),
        arguments("SELECT COUNT(*) AS n FROM src", "aggregate function COUNT(*) is not allowed"),
        arguments("SELECT SUM(n) AS n FROM src", "aggregate function SUM(n) is not allowed"),
        arguments("SELECT ROW_NUMBER() OVER (PARTITION BY s) AS n FROM src", "window functions are not allowed"),
        arguments("SELECT DISTINCT n FROM src", "DISTINCT is not allowed"),
        arguments("SELECT n FROM src ORDER BY n", "ORDER BY is not allowed"),
        arguments("SELECT n FROM src LIMIT 10", "LIMIT, OFFSET, FETCH and TOP are not allowed"),
        arguments("SELECT n FROM src UNION SELECT n FROM src", "UNION, INTERSECT and EXCEPT are not allowed"),
        // names
        arguments("SELECT nope AS n FROM src", "unknown column 'nope' in nope; available columns: envelope.{workspace_id, workspace_ari"),
        arguments("SELECT obj.nope AS n FROM src", "struct 'obj' in obj.nope has no member 'nope'; its members are [name, deep]"),
        arguments("SELECT s.x AS n FROM src", "'s' in s.x is STRING, not a struct"),
        arguments("SELECT FOO(s) AS n FROM src", "unknown function FOO in FOO(s); models may call ABS, ARRAY_CONTAINS"),
        arguments("SELECT n, s AS n FROM src", "duplicate output column 'n'"),
        arguments("SELECT n, s AS N FROM src", "column names are case-insensitive"),
        arguments("SELECT n, n + 1 FROM src", "output column 2 (n + 1) in the SELECT needs a name: add AS <name>"),
        arguments("SELECT envelope, n FROM src", "'envelope' cannot be a table column"),
        arguments("SELECT \"s\" AS n FROM src", "is ambiguous: write 'text' for a string and `name` for a column"),
        arguments("SELECT tags[0] AS n FROM src", "use ELEMENT_AT(array, position)"),
        // types
        arguments("SELECT UPPER(42) AS n FROM src", "UPPER(42): argument 1 must be STRING, got INT (use CAST(... AS STRING))"),
        arguments("SELECT s + 1 AS n FROM src", "operator + needs numbers, but s is STRING in s + 1; use || or CONCAT for strings"),
        arguments("SELECT n FROM src WHERE s = 1", "cannot compare STRING with INT in s = 1; use CAST"),
        arguments("SELECT n FROM src WHERE n", "WHERE must be a BOOLEAN condition, but n is INT"),
        arguments("SELECT NULL AS x, n FROM src", "cannot infer the type of column 'x' (a bare NULL); write CAST(NULL AS <type>)"),
        arguments("SELECT COALESCE(s, n) AS x, n FROM src", "incompatible types STRING and INT in COALESCE(s, n)"),
        arguments("SELECT CAST(n AS DECIMAL(10, 2)) AS x, n FROM src", "CAST to DECIMAL (10, 2) is not supported"),
        arguments("SELECT CAST(dt AS INT) AS x, n FROM src", "cannot CAST DATE AS INT"),
        arguments("SELECT LOWER(s, s) AS x, n FROM src", "LOWER(s, s): takes 1 argument, got 2"),
        arguments("SELECT SIZE(s) AS x, n FROM src", "SIZE(s): argument 1 must be an ARRAY, got STRING"),
        arguments("SELECT SPLIT(s, '[') AS x, n FROM src", "invalid regular expression '['"),
        arguments("SELECT DATE_TRUNC('fortnight', ts) AS x, n FROM src", "unknown unit 'fortnight'"),
        arguments("SELECT DATE '2024-13-01' AS x, n FROM src", "'2024-13-01' is not a valid DATE literal"),
        arguments("SELECT NOT s AS x, n FROM src", "NOT operand must be a BOOLEAN condition"),
        // determinism
        arguments("SELECT NOW() AS x, n FROM src", "NOW() is non-deterministic"),
        arguments("SELECT CURRENT_TIMESTAMP AS x, n FROM src", "CURRENT_TIMESTAMP is non-deterministic"),
        arguments("SELECT RAND() AS x, n FROM src", "non-deterministic"),
        // LATERAL VIEW
        arguments("SELECT n, tag FROM src LATERAL VIEW EXPLODE(tags) a AS tag LATERAL VIEW EXPLODE(nums) b AS num",
            "at most one LATERAL VIEW"),
        arguments("SELECT n, tag FROM src LATERAL VIEW OUTER EXPLODE(tags) a AS tag", "LATERAL VIEW OUTER is not supported"),
        arguments("SELECT n, c FROM src LATERAL VIEW EXPLODE(s) a AS c", "EXPLODE needs an ARRAY, but s is STRING"),
        arguments("SELECT n, tag FROM src LATERAL VIEW POSEXPLODE(tags) a AS tag", "POSEXPLODE produces 2 columns (position, element)"),
        arguments("SELECT n, tag FROM src LATERAL VIEW INLINE(items) a AS tag", "LATERAL VIEW supports EXPLODE and POSEXPLODE only"),
        arguments("SELECT EXPLODE(tags) AS tag, n FROM src", "is a generator: write it as FROM <source> LATERAL VIEW EXPLODE"),
        arguments("SELECT n, tag FROM src LATERAL VIEW EXPLODE(tags) a AS n", "column 'n' in n is ambiguous"),
        arguments("SELECT n, a.nope AS x FROM src LATERAL VIEW EXPLODE(tags) a AS tag", "unknown column 'nope' in a.nope; LATERAL VIEW a has columns [tag]"),
        // CTE chain
        arguments("WITH a AS (SELECT n FROM src) SELECT n FROM src", "the SELECT reads " + ModelFixture.SOURCE + " but must read a"),
        arguments("WITH a AS (SELECT n FROM src), b AS (SELECT n FROM src) SELECT n FROM b", "CTE 'b' reads " + ModelFixture.SOURCE + " but must read a"),
        arguments("WITH a AS (SELECT n FROM src) SELECT envelope.version AS v, n FROM a", "unknown column 'envelope'"),
        arguments("WITH a AS (SELECT n FROM src GROUP BY n) SELECT n FROM a", "GROUP BY is not allowed in a streaming model: each event is mapped on its own; aggregations belong to enhanced views and tables (in CTE 'a')"),
        arguments("WITH a AS (SELECT n FROM src JOIN other ON src.n = other.n) SELECT n FROM a", "JOIN is not allowed in a streaming model; joins belong to enhanced views (in CTE 'a')"),
        arguments("WITH RECURSIVE a AS (SELECT n FROM src) SELECT n FROM a", "WITH RECURSIVE is not allowed"),
        // statements
        arguments("DELETE FROM src", "a model must be a SELECT, found DELETE"),
        arguments("SELECT FROM WHERE", "the SQL does not parse"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rejected")
  void rejectsWithAMessageNamingTheModelAndTheConstruct(String sql, String message) {
    assertThatThrownBy(() -> ModelFixture.compile(sql, "n"))
        .isInstanceOf(ModelException.class)
        .hasMessageStartingWith("model 'test_model': ")
        .hasMessageContaining(message);
  }

  @Test
  void keysMustBeOutputColumns() {
    assertThatThrownBy(() -> ModelFixture.compile("SELECT n, s FROM src", "nope"))
        .isInstanceOf(ModelException.class)
        .hasMessage("model 'test_model': unique_key column 'nope' is not an output column; columns are [n, s]");
    assertThatThrownBy(() -> compile("SELECT n, tag FROM src LATERAL VIEW EXPLODE(tags) a AS tag",
        Map.of("unique_key", List.of("n", "tag"), "parent_key", "s"), null))
        .hasMessageContaining("parent_key column 's' is not an output column");
  }

  @Test
  void theParentKeyIsPartOfTheUniqueKeyAndComesFromTheParent() {
    assertThatThrownBy(() -> compile("SELECT n, s, tag FROM src LATERAL VIEW EXPLODE(tags) a AS tag",
        Map.of("unique_key", List.of("n", "tag"), "parent_key", "s"), WriterType.MERGE_EXPLODED))
        .hasMessageContaining("parent_key column 's' must also be part of unique_key [n, tag]");
    assertThatThrownBy(() -> compile("SELECT n, tag FROM src LATERAL VIEW EXPLODE(tags) a AS tag",
        Map.of("unique_key", List.of("n", "tag"), "parent_key", "tag"), WriterType.MERGE_EXPLODED))
        .hasMessageContaining("parent_key column 'tag' must be computed from the parent, not from the LATERAL VIEW");
  }

  @Test
  void theModelShapeMustFitItsWriter() {
    assertThatThrownBy(() -> compile("SELECT n, tag FROM src LATERAL VIEW EXPLODE(tags) a AS tag",
        Map.of("unique_key", List.of("n", "tag")), WriterType.MERGE))
        .hasMessageContaining("a Merge model yields at most one row per event, so it cannot have a LATERAL VIEW");
    assertThatThrownBy(() -> compile("SELECT n FROM src", Map.of("unique_key", "n", "parent_key", "n"), WriterType.MERGE))
        .hasMessageContaining("config(parent_key=...) is only for MergeExploded models");
    assertThatThrownBy(() -> compile("SELECT n FROM src", Map.of("unique_key", "n", "parent_key", "n"), WriterType.MERGE_EXPLODED))
        .hasMessageContaining("a MergeExploded model needs a LATERAL VIEW");
    assertThatThrownBy(() -> compile("SELECT n, tag FROM src LATERAL VIEW EXPLODE(tags) a AS tag",
        Map.of("unique_key", List.of("n", "tag")), WriterType.MERGE_EXPLODED))
        .hasMessageContaining("a MergeExploded model needs config(parent_key=...)");
  }

  @Test
  void aModelWithoutUniqueKeyIsRejected() {
    assertThatThrownBy(() -> compile("SELECT n FROM src", Map.of(), null))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("has no config(unique_key=...)");
  }

  static CompiledModel compile(String sql, Map<String, Object> config, WriterType writer) {
    return new ModelCompiler().compile(ModelFixture.model(sql, config), ModelFixture.SCHEMA, writer);
  }
}
