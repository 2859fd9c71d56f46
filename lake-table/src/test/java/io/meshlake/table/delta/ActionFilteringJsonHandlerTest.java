package io.meshlake.table.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.MapValue;
import io.delta.kernel.defaults.engine.DefaultJsonHandler;
import io.delta.kernel.engine.JsonHandler;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.RemoveFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.MapType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import io.meshlake.table.parquet.DataFileWriter;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.storage.LocalTableStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionFilteringJsonHandlerTest {

  @TempDir Path dir;

  @Test
  void aLineIsKeptWhenAnyTopLevelActionIsWanted() {
    Set<String> txn = Set.of("txn");
    assertThat(ActionFilteringJsonHandler.mayHold("{\"txn\":{\"appId\":\"a\",\"version\":3}}", txn)).isTrue();
    assertThat(ActionFilteringJsonHandler.mayHold(
        "{\"add\":{\"path\":\"p\",\"stats\":\"{\\\"numRecords\\\":2,\\\"txn\\\":1}\"}}", txn)).isFalse();
    assertThat(ActionFilteringJsonHandler.mayHold("{\"commitInfo\":{\"txn\":1},\"txn\":{\"appId\":\"a\"}}", txn)).isTrue();
    assertThat(ActionFilteringJsonHandler.mayHold("  {\"remove\":{\"path\":\"p\"}}  ", txn)).isFalse();
    // Anything that is not one plain object goes to the real parser, which reports it.
    assertThat(ActionFilteringJsonHandler.mayHold("", txn)).isTrue();
    assertThat(ActionFilteringJsonHandler.mayHold("[1]", txn)).isTrue();
    assertThat(ActionFilteringJsonHandler.mayHold("{\"add\":{\"path\":", txn)).isTrue();
    assertThat(ActionFilteringJsonHandler.mayHold("{\"add\":{}} {\"txn\":{}}", txn)).isTrue();
  }

  @Test
  void readsTheSameRowsAsKernelsDefaultHandlerForEverySchema() throws Exception {
    LocalTableStore store = new LocalTableStore(dir);
    DeltaTable table = DeltaTable.openOrCreate(store, "t", DeltaTableTest.SCHEMA, List.of("workspace_id"),
        DeltaTable.defaultProperties(100));
    for (int i = 0; i < 3; i++) {
      String relative = "workspace_id=w1/part-" + i + ".parquet";
      DataFileWriter writer = new DataFileWriter(store, table.path(), relative, table.fileSchema(), CompressionCodecName.SNAPPY, 8 << 20);
      writer.write(new Object[] {"i-\"" + i, (long) i, null, List.of("x"), new Object[] {"p", i}});
      writer.close();
      List<TableFile> previous = table.files(table.latest(), Map.of(), f -> true);
      table.commit(table.latest(), DeltaTable.Changes.of(
          List.of(new NewFile(writer.result(), Map.of("workspace_id", "w1"), Map.of("meshlake.owner", "0"))), previous),
          Optional.of("app-" + (i % 2)), i, Map.of("issue_id", ColumnType.Primitive.STRING));
    }
    List<FileStatus> commits;
    try (Stream<Path> log = Files.list(dir.resolve("t/_delta_log"))) {
      commits = log.filter(p -> p.toString().endsWith(".json")).sorted()
          .map(p -> FileStatus.of(p.toUri().toString(), p.toFile().length(), 0)).toList();
    }
    assertThat(commits).hasSize(4);

    JsonHandler filtering = TableEngine.create(store).getJsonHandler();
    JsonHandler plain = new DefaultJsonHandler(store);
    List<StructType> schemas = List.of(
        new StructType().add("txn", SingleAction.FULL_SCHEMA.get("txn").getDataType()),
        new StructType().add("protocol", SingleAction.FULL_SCHEMA.get("protocol").getDataType())
            .add("metaData", SingleAction.FULL_SCHEMA.get("metaData").getDataType()),
        new StructType().add("add", AddFile.SCHEMA_WITH_STATS).add("remove", RemoveFile.FULL_SCHEMA),
        SingleAction.FULL_SCHEMA);
    for (StructType schema : schemas) {
      List<String> expected = render(plain, commits, schema);
      assertThat(render(filtering, commits, schema)).as("rows read with %s", schema).isEqualTo(expected);
      assertThat(expected).anyMatch(row -> !row.matches("\\[(null, )*null\\]")); // the schema found something
    }
  }

  @Test
  void aMalformedLineStillFailsTheRead() throws Exception {
    Path file = dir.resolve("00000000000000000000.json");
    Files.writeString(file, "{\"add\":{\"path\":\"p\"}}\n{\"txn\":{\"appId\":\"a\",\n");
    JsonHandler filtering = TableEngine.create(new LocalTableStore(dir)).getJsonHandler();
    StructType txn = new StructType().add("txn", SingleAction.FULL_SCHEMA.get("txn").getDataType());
    assertThatThrownBy(() -> render(filtering, List.of(FileStatus.of(file.toUri().toString(), file.toFile().length(), 0)), txn))
        .hasMessageContaining("Could not parse JSON");
  }

  private static List<String> render(JsonHandler handler, List<FileStatus> files, StructType schema) throws Exception {
    List<String> rows = new ArrayList<>();
    try (CloseableIterator<ColumnarBatch> batches = handler.readJsonFiles(
        io.delta.kernel.internal.util.Utils.toCloseableIterator(files.iterator()), schema, Optional.empty())) {
      while (batches.hasNext()) {
        ColumnarBatch batch = batches.next();
        for (int row = 0; row < batch.getSize(); row++) {
          List<String> values = new ArrayList<>();
          for (int c = 0; c < schema.length(); c++) {
            values.add(value(batch.getColumnVector(c), row));
          }
          rows.add(values.toString());
        }
      }
    }
    return rows;
  }

  private static String value(ColumnVector vector, int row) {
    if (vector.isNullAt(row)) {
      return "null";
    }
    if (vector.getDataType() instanceof StructType struct) {
      List<String> fields = new ArrayList<>();
      int i = 0;
      for (StructField field : struct.fields()) {
        fields.add(field.getName() + "=" + value(vector.getChild(i++), row));
      }
      return fields.toString();
    }
    if (vector.getDataType() instanceof MapType) {
      MapValue map = vector.getMap(row);
      List<String> entries = new ArrayList<>();
      for (int i = 0; i < map.getSize(); i++) {
        entries.add(value(map.getKeys(), i) + "->" + value(map.getValues(), i));
      }
      return entries.toString();
    }
    if (vector.getDataType() instanceof ArrayType) {
      ArrayValue array = vector.getArray(row);
      List<String> elements = new ArrayList<>();
      for (int i = 0; i < array.getSize(); i++) {
        elements.add(value(array.getElements(), i));
      }
      return elements.toString();
    }
    return switch (vector.getDataType().toString()) {
      case "string" -> vector.getString(row);
      case "long" -> Long.toString(vector.getLong(row));
      case "integer" -> Integer.toString(vector.getInt(row));
      case "boolean" -> Boolean.toString(vector.getBoolean(row));
      default -> vector.getDataType() + "?";
    };
  }
}
