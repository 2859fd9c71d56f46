package io.meshlake.table.delta;

import io.delta.kernel.Snapshot;
import io.meshlake.table.parquet.DataFileReader;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.TableStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads the live rows of a table snapshot: the files the log lists (never a directory listing),
 * without the rows their deletion vectors mark, with partition values put back into the rows.
 */
public final class TableScanner {

  private TableScanner() {}

  /** Every live row of the snapshot, in table-schema order. */
  public static void scan(DeltaTable table, Snapshot snapshot, Consumer<Object[]> rows) {
    TableSchema schema = table.schema();
    TableSchema fileSchema = table.fileSchema();
    int[] fromFile = new int[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      fromFile[i] = fileSchema.indexOf(schema.fields().get(i).name());
    }
    TableStore store = table.store();
    for (TableFile file : table.files(snapshot, Map.<String, ColumnType.Primitive>of(), f -> true)) {
      try {
        RoaringBitmap deleted = file.deletionVector().isPresent()
            ? DeletionVectors.read(store, table.path(), file.deletionVector().get()) : null;
        DataFileReader.read(store.parquetInput(table.path() + "/" + file.path()), fileSchema, deleted, fileRow -> {
          Object[] row = new Object[schema.size()];
          for (int i = 0; i < row.length; i++) {
            row[i] = fromFile[i] >= 0 ? fileRow[fromFile[i]] : file.partition(schema.fields().get(i).name());
          }
          rows.accept(row);
        });
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + file.path() + " of " + table.path(), e);
      }
    }
  }

  public static List<Object[]> readAll(DeltaTable table) {
    List<Object[]> rows = new ArrayList<>();
    scan(table, table.latest(), rows::add);
    return rows;
  }
}
