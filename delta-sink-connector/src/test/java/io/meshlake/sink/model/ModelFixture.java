package io.meshlake.sink.model;

import io.meshlake.contracts.model.ModelRenderer;
import io.meshlake.contracts.model.RenderedModel;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Array;
import io.meshlake.table.schema.ColumnType.Field;
import io.meshlake.table.schema.ColumnType.Primitive;
import io.meshlake.table.schema.ColumnType.Struct;
import io.meshlake.sink.schema.SourceRow;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A synthetic entity with a column of every type (and NULL ones), for testing expressions one by one:
 * {@code eval("UPPER(s)")} compiles {@code SELECT UPPER(s) AS v FROM <source>} and applies it to {@link #ROW}.
 */
final class ModelFixture {

  static final String SOURCE = "__source__test__Thing";
  static final ModelRenderer.SourceRef SOURCE_REF = new ModelRenderer.SourceRef("test", "Thing");

  static final Struct ITEM = new Struct(List.of(new Field("name", Primitive.STRING), new Field("qty", Primitive.INT)));
  static final Struct OBJ = new Struct(List.of(new Field("name", Primitive.STRING),
      new Field("deep", new Struct(List.of(new Field("x", Primitive.LONG))))));

  static final Struct ENTITY = new Struct(List.of(
      new Field("s", Primitive.STRING),
      new Field("e", Primitive.STRING),
      new Field("n", Primitive.INT),
      new Field("m", Primitive.INT),
      new Field("l", Primitive.LONG),
      new Field("d", Primitive.DOUBLE),
      new Field("f", Primitive.FLOAT),
      new Field("b", Primitive.BOOLEAN),
      new Field("ts", Primitive.TIMESTAMP),
      new Field("dt", Primitive.DATE),
      new Field("bin", Primitive.BINARY),
      new Field("tags", new Array(Primitive.STRING)),
      new Field("ntags", new Array(Primitive.STRING)),
      new Field("nums", new Array(Primitive.INT)),
      new Field("empty", new Array(Primitive.STRING)),
      new Field("items", new Array(ITEM)),
      new Field("obj", OBJ),
      new Field("ns", Primitive.STRING),
      new Field("ni", Primitive.INT),
      new Field("nb", Primitive.BOOLEAN),
      new Field("nts", Primitive.TIMESTAMP),
      new Field("nobj", OBJ),
      new Field("narr", new Array(Primitive.STRING))));

  static final Struct SCHEMA = SourceRow.schema(ENTITY);

  /** 2024-02-29 13:45:30.123456 UTC. */
  static final long TS = micros(LocalDateTime.of(2024, 2, 29, 13, 45, 30, 123_456_000));
  static final int DT = (int) LocalDate.of(2024, 2, 29).toEpochDay();

  static final Object[] ROW = SourceRow.row(
      SourceRow.envelope("ws-1", "ari:cloud:platform::workspace/ws-1", "ari:cloud:test:ws-1:thing/1", 99, 9L, 2L, false),
      new Object[] {
          "Hello World", "", 7, -3, 10_000_000_000L, 2.5, 1.5f, true, TS, DT,
          "abc".getBytes(StandardCharsets.UTF_8),
          List.of("red", "green", "blue"),
          Arrays.asList("x", null),
          List.of(1, 2, 3),
          List.of(),
          List.of(new Object[] {"apple", 2}, new Object[] {"pear", 0}, new Object[] {null, 5}),
          new Object[] {"o", new Object[] {42L}},
          null, null, null, null, null, null});

  private ModelFixture() {}

  static long micros(LocalDateTime t) {
    return t.toEpochSecond(ZoneOffset.UTC) * 1_000_000L + t.getNano() / 1_000;
  }

  static int days(String isoDate) {
    return (int) LocalDate.parse(isoDate).toEpochDay();
  }

  static RenderedModel model(String sql, Map<String, Object> config) {
    return new RenderedModel("test_model", sql.replace("src", SOURCE), SOURCE_REF, config);
  }

  /** Compiles {@code sql} ({@code src} stands for the source) with the given unique key. */
  static CompiledModel compile(String sql, String uniqueKey) {
    return new ModelCompiler().compile(model(sql, Map.of("unique_key", uniqueKey)), SCHEMA);
  }

  static List<Object[]> rows(String sql, String uniqueKey) {
    CompiledModel model = compile(sql, uniqueKey);
    List<Object[]> out = new ArrayList<>();
    model.rowFunction().apply(ROW, out::add);
    return out;
  }

  /** The value of {@code expr} for {@link #ROW}. */
  static Object eval(String expr) {
    List<Object[]> rows = rows("SELECT " + expr + " AS v FROM src", "v");
    if (rows.size() != 1) {
      throw new AssertionError("expected one row, got " + rows.size());
    }
    return rows.get(0)[0];
  }

  static ColumnType type(String expr) {
    return compile("SELECT " + expr + " AS v FROM src", "v").schema().type("v");
  }
}
