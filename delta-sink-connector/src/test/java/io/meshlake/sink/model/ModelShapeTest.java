package io.meshlake.sink.model;

import static io.meshlake.sink.model.ModelFixture.compile;
import static io.meshlake.sink.model.ModelFixture.rows;
import static org.assertj.core.api.Assertions.assertThat;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SELECT *, aliases, LATERAL VIEWs, WHERE and CTE chains. */
class ModelShapeTest {

  static List<List<Object>> values(List<Object[]> rows) {
    return rows.stream().map(Arrays::asList).toList();
  }

  @Test
  void starExpandsToTheEntityColumnsWithoutTheEnvelopeThenExplicitColumnsFollow() {
    CompiledModel model = compile("SELECT *, n + 1 AS n1 FROM src", "n");

    List<String> expected = new java.util.ArrayList<>(ModelFixture.ENTITY.fields().stream().map(ColumnType.Field::name).toList());
    expected.add("n1");
    assertThat(model.schema().names()).isEqualTo(expected);
    Object[] row = rows("SELECT *, n + 1 AS n1 FROM src", "n").get(0);
    assertThat(row[model.schema().indexOf("n1")]).isEqualTo(8);
    assertThat(row[model.schema().indexOf("s")]).isEqualTo("Hello World");
  }

  @Test
  void sourceAliasQualifiesColumns() {
    assertThat(values(rows("SELECT t.n, t.envelope.version AS v FROM src t WHERE t.n > 1", "n"))).containsExactly(List.of(7, 9L));
    assertThat(values(rows("SELECT x.n FROM src AS x", "n"))).containsExactly(List.of(7));
  }

  @Test
  void whereThatIsNullOrFalseFiltersTheRowOut() {
    assertThat(rows("SELECT n FROM src WHERE ni > 0", "n")).isEmpty();
    assertThat(rows("SELECT n FROM src WHERE NOT (ni > 0)", "n")).isEmpty();
    assertThat(rows("SELECT n FROM src WHERE ni IS NULL", "n")).hasSize(1);
    assertThat(rows("SELECT n FROM src WHERE COALESCE(ni > 0, TRUE)", "n")).hasSize(1);
    assertThat(rows("SELECT n FROM src WHERE n > 1 AND s LIKE 'Hello%'", "n")).hasSize(1);
    assertThat(rows("SELECT n FROM src WHERE FALSE", "n")).isEmpty();
    assertThat(rows("SELECT n FROM src WHERE NULL", "n")).isEmpty();
    assertThat(rows("SELECT n FROM src WHERE TRUE", "n")).hasSize(1);
  }

  @Test
  void explodeYieldsOneRowPerElementAndPosexplodeNumbersThemFromZero() {
    assertThat(values(rows("SELECT n, tag FROM src LATERAL VIEW EXPLODE(tags) t AS tag", "n")))
        .containsExactly(List.of(7, "red"), List.of(7, "green"), List.of(7, "blue"));
    CompiledModel model = compile("SELECT n, p, tag FROM src LATERAL VIEW POSEXPLODE(tags) t AS p, tag", "n");
    assertThat(model.schema().type("p")).isEqualTo(Primitive.INT);
    assertThat(model.exploding()).isTrue();
    assertThat(values(rows("SELECT n, t.p, t.tag FROM src LATERAL VIEW POSEXPLODE(tags) t AS p, tag", "n")))
        .containsExactly(List.of(7, 0, "red"), List.of(7, 1, "green"), List.of(7, 2, "blue"));
  }

  @Test
  void explodeOfAnEmptyOrNullArrayYieldsNothing() {
    assertThat(rows("SELECT n, tag FROM src LATERAL VIEW EXPLODE(empty) t AS tag", "n")).isEmpty();
    assertThat(rows("SELECT n, tag FROM src LATERAL VIEW EXPLODE(narr) t AS tag", "n")).isEmpty();
  }

  @Test
  void explodedStructsAreReadByMemberAndFilteredPerElement() {
    List<Object[]> out = rows("SELECT n, x.item.name AS name, item.qty AS qty FROM src"
        + " LATERAL VIEW EXPLODE(items) x AS item WHERE item.qty > 0 AND n > 1", "n");
    assertThat(values(out)).containsExactly(List.of(7, "apple", 2), Arrays.asList(7, null, 5));
    assertThat(rows("SELECT n, item.qty AS qty FROM src LATERAL VIEW EXPLODE(items) x AS item WHERE n > 100", "n")).isEmpty();
  }

  @Test
  void explodeOfAComputedArrayAndStarWithTheView() {
    assertThat(values(rows("SELECT n, w FROM src LATERAL VIEW EXPLODE(SPLIT(s, ' ')) v AS w", "n")))
        .containsExactly(List.of(7, "Hello"), List.of(7, "World"));
    assertThat(compile("SELECT v.* FROM src LATERAL VIEW POSEXPLODE(tags) v AS p, tag", "p").schema().names())
        .containsExactly("p", "tag");
    assertThat(compile("SELECT * FROM src LATERAL VIEW EXPLODE(tags) v AS tag", "n").schema().names()).endsWith("narr", "tag");
  }

  @Test
  void eachExplodedRowIsItsOwnArray() {
    List<Object[]> out = rows("SELECT n, tag FROM src LATERAL VIEW EXPLODE(tags) t AS tag", "n");
    assertThat(out.get(0)).isNotSameAs(out.get(1));
    assertThat(out.get(0)[1]).isEqualTo("red");
  }

  @Test
  void cteChainsProjectAndFilterStageByStage() {
    String sql = "WITH a AS (SELECT envelope, n, s, tags FROM src WHERE n > 0),"
        + " b AS (SELECT envelope.version AS version, UPPER(s) AS us, n * 2 AS n2, tags FROM a)"
        + " SELECT version, us, n2, tag FROM b LATERAL VIEW EXPLODE(tags) x AS tag WHERE tag <> 'green'";
    CompiledModel model = compile(sql, "n2");
    assertThat(model.schema().names()).containsExactly("version", "us", "n2", "tag");
    assertThat(values(rows(sql, "n2"))).containsExactly(List.of(9L, "HELLO WORLD", 14, "red"), List.of(9L, "HELLO WORLD", 14, "blue"));

    assertThat(rows("WITH a AS (SELECT n FROM src WHERE n < 0) SELECT n FROM a", "n")).isEmpty();
    // * inside a CTE keeps the envelope for the stages after it
    assertThat(values(rows("WITH a AS (SELECT * FROM src) SELECT envelope.version AS v, n FROM a", "n"))).containsExactly(List.of(9L, 7));
  }

  @Test
  void theSeedsCteShapeWithCastsCompiles() {
    String sql = "WITH cte_0 AS (\n"
        + "  SELECT CAST(envelope.resource_ari AS STRING) AS resource_ari,\n"
        + "    CAST(envelope.version AS LONG) AS version,\n"
        + "    CAST(l + CAST(n / 1e9 AS DOUBLE) AS TIMESTAMP) AS created_at,\n"
        + "    CAST(n AS INTEGER) AS vote_count\n"
        + "  FROM src\n"
        + ")\n"
        + "SELECT resource_ari, version, created_at, vote_count FROM cte_0";
    CompiledModel model = compile(sql, "resource_ari");
    assertThat(model.schema().fields()).extracting(ColumnType.Field::type)
        .containsExactly(Primitive.STRING, Primitive.LONG, Primitive.TIMESTAMP, Primitive.INT);
    assertThat(values(rows(sql, "resource_ari")))
        .containsExactly(List.of("ari:cloud:test:ws-1:thing/1", 9L, 10_000_000_000_000_000L, 7));
  }

  @Test
  void commentsAndTrailingSemicolonAreFine() {
    assertThat(rows("-- a comment\nSELECT n /* inline */ FROM src;", "n")).hasSize(1);
  }
}
