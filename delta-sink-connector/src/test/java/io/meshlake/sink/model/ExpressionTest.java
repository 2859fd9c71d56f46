package io.meshlake.sink.model;

import static io.meshlake.sink.model.ModelFixture.DT;
import static io.meshlake.sink.model.ModelFixture.TS;
import static io.meshlake.sink.model.ModelFixture.days;
import static io.meshlake.sink.model.ModelFixture.eval;
import static io.meshlake.sink.model.ModelFixture.micros;
import static io.meshlake.sink.model.ModelFixture.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each expression form and function, evaluated on {@link ModelFixture#ROW}. */
class ExpressionTest {

  static long at(int y, int mo, int d, int h, int mi, int s) {
    return micros(LocalDateTime.of(y, mo, d, h, mi, s));
  }

  static Stream<Arguments> literalsAndColumns() {
    return Stream.of(
        arguments("1", 1),
        arguments("3000000000", 3_000_000_000L),
        arguments("-2147483648", Integer.MIN_VALUE),
        arguments("1.5", 1.5),
        arguments("1e3", 1000.0),
        arguments("'it''s'", "it's"),
        arguments("TRUE", true),
        arguments("FALSE", false),
        arguments("CAST(NULL AS STRING)", null),
        arguments("DATE '2024-02-29'", DT),
        arguments("TIMESTAMP '2024-02-29 13:45:30.123456'", TS),
        arguments("s", "Hello World"),
        arguments("`s`", "Hello World"),
        arguments("S", "Hello World"),
        arguments("envelope.version", 9L),
        arguments("envelope.workspace_id", "ws-1"),
        arguments("envelope.is_tombstone", false),
        arguments("__source__test__Thing.n", 7),
        arguments("obj.name", "o"),
        arguments("obj.deep.x", 42L),
        arguments("nobj.deep.x", null),
        arguments("tags", List.of("red", "green", "blue")),
        arguments("ns", null));
  }

  static Stream<Arguments> arithmetic() {
    return Stream.of(
        arguments("n + 1", 8),
        arguments("n - 10", -3),
        arguments("n * 3", 21),
        arguments("n + l", 10_000_000_007L),
        arguments("n * d", 17.5),
        arguments("f + 1", 2.5f),
        arguments("n / 2", 3.5),
        arguments("n / 0", null),
        arguments("d / 0", null),
        arguments("n % 3", 1),
        arguments("m % 2", -1),
        arguments("n % 0", null),
        arguments("n DIV 2", 3L),
        arguments("-n", -7),
        arguments("-(n + 1)", -8),
        arguments("+n", 7),
        arguments("n + ni", null),
        arguments("2147483647 + 1", Integer.MIN_VALUE),
        arguments("2 * (3 + n)", 20));
  }

  static Stream<Arguments> strings() {
    return Stream.of(
        arguments("s || '!'", "Hello World!"),
        arguments("'v' || n || '-' || b", "v7-true"),
        arguments("'x' || ns", null),
        arguments("CONCAT('a', n, d)", "a72.5"),
        arguments("CONCAT(s)", "Hello World"),
        arguments("CONCAT('a', ns)", null),
        arguments("CONCAT_WS('-', 'a', ns, tags)", "a-red-green-blue"),
        arguments("CONCAT_WS(',', ntags, empty)", "x"),
        arguments("CONCAT_WS(ns, 'a')", null),
        arguments("LOWER(s)", "hello world"),
        arguments("UPPER(s)", "HELLO WORLD"),
        arguments("upper(ns)", null),
        arguments("TRIM('  x  ')", "x"),
        arguments("LTRIM('  x  ')", "x  "),
        arguments("RTRIM('  x  ')", "  x"),
        arguments("TRIM('\tx ')", "\tx"),
        arguments("TRIM(BOTH 'x' FROM 'xxaxx')", "a"),
        arguments("TRIM(LEADING 'x' FROM 'xxaxx')", "axx"),
        arguments("TRIM(TRAILING 'x' FROM 'xxaxx')", "xxa"),
        arguments("TRIM(BOTH FROM '  a ')", "a"),
        arguments("LENGTH(s)", 11),
        arguments("LENGTH('\uD83D\uDE80a')", 2),
        arguments("LENGTH(bin)", 3),
        arguments("LENGTH(e)", 0),
        arguments("LENGTH(ns)", null),
        arguments("SUBSTRING(s, 1, 5)", "Hello"),
        arguments("SUBSTR(s, 7)", "World"),
        arguments("SUBSTRING(s, 0, 2)", "He"),
        arguments("SUBSTRING(s, -5)", "World"),
        arguments("SUBSTRING(s, -5, 2)", "Wo"),
        arguments("SUBSTRING(s, -20, 3)", ""),
        arguments("SUBSTRING(s, 20)", ""),
        arguments("SUBSTRING(s, 2, -1)", ""),
        arguments("SUBSTRING(s, n, 3)", "Wor"),
        arguments("SUBSTRING(s, ni, 3)", null),
        arguments("SUBSTRING('a\uD83D\uDE80b', 2, 1)", "\uD83D\uDE80"),
        arguments("REPLACE(s, 'World', 'There')", "Hello There"),
        arguments("REPLACE(s, 'l')", "Heo Word"),
        arguments("REPLACE(s, '', 'x')", "Hello World"),
        arguments("REPLACE(s, e, 'x')", "Hello World"),
        arguments("REPLACE(s, 'o', ns)", null),
        arguments("SPLIT('a,b,,c,', ',')", List.of("a", "b", "", "c", "")),
        arguments("SPLIT('a1b22c', '[0-9]+')", List.of("a", "b", "c")),
        arguments("SPLIT('a,b,c', ',', 2)", List.of("a", "b,c")),
        arguments("SPLIT('abc', '')", List.of("a", "b", "c")),
        arguments("SPLIT(s, ' ')", List.of("Hello", "World")),
        arguments("SPLIT(ns, ',')", null));
  }

  static Stream<Arguments> comparisonsAndLogic() {
    return Stream.of(
        arguments("n > 5", true),
        arguments("n >= 7 AND n <= 7", true),
        arguments("n <> 7", false),
        arguments("n != 7", false),
        arguments("n = 7.0", true),
        arguments("l > n", true),
        arguments("s = 'Hello World'", true),
        arguments("s < 'Hello'", false),
        arguments("'\uFFFF' < '\uD83D\uDE80'", true),
        arguments("ns = 'x'", null),
        arguments("ni < 1", null),
        arguments("b = TRUE", true),
        arguments("FALSE < TRUE", true),
        arguments("ts > '2024-01-01'", true),
        arguments("ts < '2024-02-29 13:45:30'", false),
        arguments("dt = DATE '2024-02-29'", true),
        arguments("dt = '2024-02-29'", true),
        arguments("dt < ts", true),
        arguments("bin = CAST('abc' AS BINARY)", true),
        // three-valued logic
        arguments("nb AND FALSE", false),
        arguments("nb AND TRUE", null),
        arguments("nb OR TRUE", true),
        arguments("nb OR FALSE", null),
        arguments("NOT nb", null),
        arguments("NOT b", false),
        arguments("NULL AND FALSE", false),
        arguments("nb IS NULL", true),
        arguments("ns IS NOT NULL", false),
        arguments("nb IS TRUE", false),
        arguments("nb IS NOT TRUE", true),
        arguments("b IS NOT FALSE", true),
        // IN
        arguments("n IN (1, 7)", true),
        arguments("n IN (1, 2)", false),
        arguments("n IN (1, NULL)", null),
        arguments("n IN (7, NULL)", true),
        arguments("n NOT IN (1, NULL)", null),
        arguments("n NOT IN (1, 2)", true),
        arguments("ni IN (1)", null),
        arguments("s IN ('a', 'Hello World')", true),
        arguments("s NOT IN ('a', 'b')", true),
        arguments("d IN (2.5, 3)", true),
        arguments("n IN (1, 7.0)", true),
        arguments("l IN (10000000000)", true),
        arguments("n IN (m, n)", true),
        arguments("dt IN ('2024-02-29')", true),
        // LIKE
        arguments("s LIKE 'Hello%'", true),
        arguments("s LIKE '%World'", true),
        arguments("s LIKE '%lo W%'", true),
        arguments("s LIKE 'Hello World'", true),
        arguments("s LIKE 'H_llo%'", true),
        arguments("s LIKE 'hello%'", false),
        arguments("s NOT LIKE 'h%'", true),
        arguments("s ILIKE 'hello%'", true),
        arguments("s RLIKE 'W.r'", true),
        arguments("'50%' LIKE '50!%' ESCAPE '!'", true),
        arguments("'50x' LIKE '50!%' ESCAPE '!'", false),
        arguments("'a\nb' LIKE 'a%b'", true),
        arguments("ns LIKE 'a%'", null),
        arguments("s LIKE e", false),
        arguments("s LIKE ns", null),
        // BETWEEN
        arguments("n BETWEEN 1 AND 10", true),
        arguments("n NOT BETWEEN 1 AND 10", false),
        arguments("n BETWEEN 8 AND ni", false),
        arguments("n BETWEEN 1 AND ni", null),
        arguments("ni BETWEEN 1 AND 2", null),
        arguments("d BETWEEN 2 AND 3", true),
        arguments("ts BETWEEN '2024-02-29' AND '2024-03-01'", true),
        arguments("dt BETWEEN ts AND ts", false));
  }

  static Stream<Arguments> conditionals() {
    return Stream.of(
        arguments("CASE WHEN n > 5 THEN 'big' ELSE 'small' END", "big"),
        arguments("CASE WHEN n > 50 THEN 'big' WHEN n > 5 THEN 'medium' END", "medium"),
        arguments("CASE WHEN nb THEN 1 END", null),
        arguments("CASE WHEN nb THEN 1 ELSE 2 END", 2),
        arguments("CASE WHEN b THEN n ELSE d END", 7.0),
        arguments("CASE n WHEN 1 THEN 'one' WHEN 7 THEN 'seven' END", "seven"),
        arguments("CASE ni WHEN 1 THEN 'one' ELSE 'none' END", "none"),
        arguments("CASE s WHEN 'x' THEN 1 END", null),
        arguments("CASE dt WHEN '2024-02-29' THEN 'leap' END", "leap"),
        arguments("COALESCE(ns, s)", "Hello World"),
        arguments("COALESCE(ni, 1)", 1),
        arguments("COALESCE(ni, l)", 10_000_000_000L),
        arguments("COALESCE(ns, ns)", null),
        arguments("NULLIF(n, 7)", null),
        arguments("NULLIF(n, 1)", 7),
        arguments("NULLIF(ni, 1)", null),
        arguments("IF(n > 5, 'y', 'n')", "y"),
        arguments("IF(nb, 'y', 'n')", "n"),
        arguments("GREATEST(1, n, 3)", 7),
        arguments("GREATEST(1, ni)", 1),
        arguments("GREATEST(ni, ni)", null),
        arguments("LEAST(d, n)", 2.5),
        arguments("LEAST('b', 'a', s)", "Hello World"));
  }

  static Stream<Arguments> casts() {
    return Stream.of(
        arguments("CAST(n AS STRING)", "7"),
        arguments("CAST(d AS STRING)", "2.5"),
        arguments("CAST(f AS STRING)", "1.5"),
        arguments("CAST(b AS STRING)", "true"),
        arguments("CAST(d AS INT)", 2),
        arguments("CAST(-2.7 AS BIGINT)", -2L),
        arguments("CAST('42' AS INT)", 42),
        arguments("CAST(' 42 ' AS BIGINT)", 42L),
        arguments("CAST('4.9' AS INTEGER)", 4),
        arguments("CAST('abc' AS INT)", null),
        arguments("CAST('99999999999' AS INT)", null),
        arguments("CAST('2.5' AS DOUBLE)", 2.5),
        arguments("CAST('x' AS DOUBLE)", null),
        arguments("CAST(n AS DOUBLE)", 7.0),
        arguments("CAST(n AS FLOAT)", 7.0f),
        arguments("CAST(l AS INT)", (int) 10_000_000_000L),
        arguments("CAST(n AS LONG)", 7L),
        arguments("CAST(s AS BOOLEAN)", null),
        arguments("CAST('yes' AS BOOLEAN)", true),
        arguments("CAST('0' AS BOOLEAN)", false),
        arguments("CAST(n AS BOOLEAN)", true),
        arguments("CAST(b AS INT)", 1),
        arguments("CAST(ts AS STRING)", "2024-02-29 13:45:30.123456"),
        arguments("CAST(DATE_TRUNC('SECOND', ts) AS STRING)", "2024-02-29 13:45:30"),
        arguments("CAST(dt AS STRING)", "2024-02-29"),
        arguments("CAST(ts AS DATE)", DT),
        arguments("CAST(dt AS TIMESTAMP)", at(2024, 2, 29, 0, 0, 0)),
        arguments("CAST('2024-02-29T13:45:30.5Z' AS TIMESTAMP)", at(2024, 2, 29, 13, 45, 30) + 500_000L),
        arguments("CAST('2024-02-29 15:45:30+02:00' AS TIMESTAMP)", at(2024, 2, 29, 13, 45, 30)),
        arguments("CAST('2024-2-9' AS TIMESTAMP)", at(2024, 2, 9, 0, 0, 0)),
        arguments("CAST('2024-02-30' AS TIMESTAMP)", null),
        arguments("CAST('2024-02-29 13:45:30' AS DATE)", DT),
        arguments("CAST('yesterday' AS DATE)", null),
        arguments("CAST(1700000000 AS TIMESTAMP)", 1_700_000_000_000_000L),
        arguments("CAST(1.5 AS TIMESTAMP)", 1_500_000L),
        arguments("CAST(ts AS BIGINT)", Math.floorDiv(TS, 1_000_000L)),
        arguments("CAST(ts AS DOUBLE)", TS / 1e6),
        arguments("CAST(s AS BINARY)", "Hello World".getBytes(StandardCharsets.UTF_8)),
        arguments("CAST(bin AS STRING)", "abc"),
        arguments("TRY_CAST('x' AS INT)", null),
        arguments("CAST(ns AS INT)", null));
  }

  static Stream<Arguments> arraysNumbersAndDates() {
    return Stream.of(
        arguments("SIZE(tags)", 3),
        arguments("CARDINALITY(empty)", 0),
        arguments("SIZE(narr)", null),
        arguments("ARRAY_CONTAINS(tags, 'green')", true),
        arguments("ARRAY_CONTAINS(tags, 'x')", false),
        arguments("ARRAY_CONTAINS(ntags, 'y')", null),
        arguments("ARRAY_CONTAINS(ntags, 'x')", true),
        arguments("ARRAY_CONTAINS(nums, 2)", true),
        arguments("ARRAY_CONTAINS(nums, 2.0)", true),
        arguments("ARRAY_CONTAINS(tags, ns)", null),
        arguments("ELEMENT_AT(tags, 1)", "red"),
        arguments("ELEMENT_AT(tags, -1)", "blue"),
        arguments("ELEMENT_AT(tags, 4)", null),
        arguments("ELEMENT_AT(tags, 0)", null),
        arguments("ELEMENT_AT(items, 1).name", "apple"),
        arguments("ELEMENT_AT(items, 2).qty", 0),
        arguments("ABS(m)", 3),
        arguments("ABS(-2.5)", 2.5),
        arguments("ABS(-l)", 10_000_000_000L),
        arguments("ROUND(2.5)", 3.0),
        arguments("ROUND(-2.5)", -3.0),
        arguments("ROUND(1.2345, 2)", 1.23),
        arguments("ROUND(125, -1)", 130),
        arguments("ROUND(n)", 7),
        arguments("FLOOR(d)", 2L),
        arguments("CEIL(d)", 3L),
        arguments("FLOOR(-2.5)", -3L),
        arguments("CEILING(n)", 7L),
        arguments("DATE_TRUNC('DAY', ts)", at(2024, 2, 29, 0, 0, 0)),
        arguments("DATE_TRUNC('hour', ts)", at(2024, 2, 29, 13, 0, 0)),
        arguments("DATE_TRUNC('MINUTE', ts)", at(2024, 2, 29, 13, 45, 0)),
        arguments("DATE_TRUNC('MILLISECOND', ts)", at(2024, 2, 29, 13, 45, 30) + 123_000L),
        arguments("DATE_TRUNC('WEEK', ts)", at(2024, 2, 26, 0, 0, 0)),
        arguments("DATE_TRUNC('MONTH', ts)", at(2024, 2, 1, 0, 0, 0)),
        arguments("DATE_TRUNC('QUARTER', ts)", at(2024, 1, 1, 0, 0, 0)),
        arguments("DATE_TRUNC('YEAR', ts)", at(2024, 1, 1, 0, 0, 0)),
        arguments("DATE_TRUNC('MONTH', dt)", at(2024, 2, 1, 0, 0, 0)),
        arguments("DATE_TRUNC('DAY', nts)", null),
        arguments("DATE_TRUNC('DAY', CAST(-1 AS TIMESTAMP))", at(1969, 12, 31, 0, 0, 0)),
        arguments("TO_DATE(ts)", DT),
        arguments("TO_DATE('2024-03-01')", days("2024-03-01")),
        arguments("TO_DATE('2024-02-30')", null),
        arguments("TO_DATE(dt)", DT),
        arguments("YEAR(ts)", 2024),
        arguments("MONTH(ts)", 2),
        arguments("DAY(ts)", 29),
        arguments("DAYOFMONTH(dt)", 29),
        arguments("YEAR(nts)", null));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource({"literalsAndColumns", "arithmetic", "strings", "comparisonsAndLogic", "conditionals", "casts",
      "arraysNumbersAndDates"})
  void evaluates(String expression, Object expected) {
    assertThat(eval(expression)).isEqualTo(expected);
  }

  static Stream<Arguments> types() {
    return Stream.of(
        arguments("n", Primitive.INT),
        arguments("n + l", Primitive.LONG),
        arguments("n + f", Primitive.FLOAT),
        arguments("f * d", Primitive.DOUBLE),
        arguments("n / n", Primitive.DOUBLE),
        arguments("n DIV n", Primitive.LONG),
        arguments("COALESCE(n, d)", Primitive.DOUBLE),
        arguments("CASE WHEN b THEN dt ELSE ts END", Primitive.TIMESTAMP),
        arguments("CAST(NULL AS DATE)", Primitive.DATE),
        arguments("s || n", Primitive.STRING),
        arguments("n > 1", Primitive.BOOLEAN),
        arguments("SPLIT(s, ',')", new ColumnType.Array(Primitive.STRING)),
        arguments("ELEMENT_AT(items, 1)", ModelFixture.ITEM),
        arguments("obj", ModelFixture.OBJ),
        arguments("items", new ColumnType.Array(ModelFixture.ITEM)),
        arguments("FLOOR(d)", Primitive.LONG),
        arguments("LENGTH(s)", Primitive.INT),
        arguments("DATE_TRUNC('DAY', dt)", Primitive.TIMESTAMP),
        arguments("TO_DATE(ts)", Primitive.DATE),
        arguments("envelope.version", Primitive.LONG));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("types")
  void infersTheOutputType(String expression, ColumnType expected) {
    assertThat(type(expression)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void threeValuedLogicMatchesTheTruthTables() {
    List<String> values = List.of("TRUE", "FALSE", "nb");
    for (String a : values) {
      for (String b : values) {
        Boolean x = (Boolean) eval(a);
        Boolean y = (Boolean) eval(b);
        Boolean and = Boolean.FALSE.equals(x) || Boolean.FALSE.equals(y) ? Boolean.FALSE : x == null || y == null ? null : Boolean.TRUE;
        Boolean or = Boolean.TRUE.equals(x) || Boolean.TRUE.equals(y) ? Boolean.TRUE : x == null || y == null ? null : Boolean.FALSE;
        assertThat(eval(a + " AND " + b)).as(a + " AND " + b).isEqualTo(and);
        assertThat(eval(a + " OR " + b)).as(a + " OR " + b).isEqualTo(or);
        assertThat(eval("NOT (" + a + " AND " + b + ")")).as("De Morgan").isEqualTo(eval("NOT " + a + " OR NOT " + b));
      }
    }
  }

  @org.junit.jupiter.api.Test
  void constantsAreFoldedAtCompileTime() {
    CompiledModel model = ModelFixture.compile("SELECT UPPER('a' || 'b') AS v, n AS k FROM src", "k");
    Object[] row = ModelFixture.rows("SELECT UPPER('a' || 'b') AS v, n AS k FROM src", "k").get(0);
    assertThat(row).containsExactly("AB", 7);
    assertThat(model.schema().names()).containsExactly("v", "k");
    assertThat(Arrays.asList(row)).hasSize(2);
  }
}
