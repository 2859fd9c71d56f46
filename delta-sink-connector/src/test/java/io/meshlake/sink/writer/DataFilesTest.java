package io.meshlake.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.NewFile;
import io.meshlake.table.parquet.DataFileReader;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows are handed to Parquet a chunk at a time, yet the place a row was promised when it was taken
 * (file index, position) is where it is read back, and no entity's rows straddle two files.
 */
class DataFilesTest {

  @TempDir Path dir;

  @Test
  void rowsLandWherePromisedAcrossChunksAndRolls() throws IOException {
    TableSchema schema = new TableSchema(List.of(
        new ColumnType.Field("workspace_id", ColumnType.Primitive.STRING),
        new ColumnType.Field("entity", ColumnType.Primitive.STRING),
        new ColumnType.Field("child", ColumnType.Primitive.INT),
        new ColumnType.Field("text", ColumnType.Primitive.STRING)));
    TableLayout layout = new TableLayout(schema, List.of(TableLayout.WORKSPACE));
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    DeltaTable table = DeltaTable.openOrCreate(store, "t", layout.schema(), layout.partitionColumns(), DeltaTable.defaultProperties(10));
    // 8 KiB files: many rolls, each after a chunk of at least DataFiles.CHUNK_ROWS rows
    WriterSettings settings = new WriterSettings(8 << 10, 1 << 20, 3, Duration.ofMillis(10), 1_000);
    DataFiles out = new DataFiles(table, layout, "w1", 0, Map.of(), settings);
    record Promise(String entity, int file, int position, int rows) {}
    List<Promise> promises = new ArrayList<>();
    Random random = new Random(3);
    for (int e = 0; e < 2_000; e++) {
      int rows = 1 + random.nextInt(3);
      promises.add(new Promise("E" + e, out.fileIndex(), out.nextPosition(), rows));
      for (int c = 0; c < rows; c++) {
        out.writeFileRow(new Object[] {"E" + e, c, "x".repeat(20 + random.nextInt(40))});
      }
      out.endGroup();
    }
    List<NewFile> files = out.finish();
    assertThat(files).as("the files rolled").hasSizeGreaterThan(3);
    TableSchema fileSchema = layout.fileSchema();
    List<List<Object[]>> contents = new ArrayList<>();
    for (NewFile f : files) {
      contents.add(DataFileReader.readAll(store.parquetInput(table.path() + "/" + f.file().relativePath()), fileSchema));
    }
    for (Promise p : promises) {
      List<Object[]> file = contents.get(p.file());
      for (int c = 0; c < p.rows(); c++) {
        Object[] row = file.get(p.position() + c);
        assertThat(row[0]).as(p + " row " + c).isEqualTo(p.entity());
        assertThat(row[1]).isEqualTo(c);
      }
    }
    assertThat(contents.stream().mapToInt(List::size).sum()).isEqualTo(promises.stream().mapToInt(Promise::rows).sum());
  }
}
