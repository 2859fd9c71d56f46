package io.meshlake.table.delta;

import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a table the way Delta Kernel's own read path does (scan files, physical Parquet batches,
 * {@code Scan.transformPhysicalData}, which applies deletion vectors) — an independent reader to
 * check meshlake's writer and scanner against.
 */
public final class KernelReader {

  private KernelReader() {}

  /** The string and long columns of every live row, by column name. */
  public static List<Map<String, Object>> rows(Engine engine, String tablePath) throws IOException {
    Snapshot snapshot = TableManager.loadSnapshot(tablePath).build(engine);
    Scan scan = snapshot.getScanBuilder().build();
    Row scanState = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(scanState);
    List<Map<String, Object>> rows = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<Row> scanFiles = files.next().getRows()) {
          while (scanFiles.hasNext()) {
            Row scanFile = scanFiles.next();
            FileStatus status = InternalScanFileUtils.getAddFileStatus(scanFile);
            CloseableIterator<ColumnarBatch> data = engine.getParquetHandler()
                .readParquetFiles(single(status), physical, Optional.empty()).map(FileReadResult::getData);
            try (CloseableIterator<FilteredColumnarBatch> logical = Scan.transformPhysicalData(engine, scanState, scanFile, data)) {
              while (logical.hasNext()) {
                collect(logical.next(), rows);
              }
            }
          }
        }
      }
    }
    return rows;
  }

  private static void collect(FilteredColumnarBatch batch, List<Map<String, Object>> rows) {
    ColumnarBatch data = batch.getData();
    StructType schema = data.getSchema();
    Optional<ColumnVector> selection = batch.getSelectionVector();
    for (int r = 0; r < data.getSize(); r++) {
      if (selection.isPresent() && (selection.get().isNullAt(r) || !selection.get().getBoolean(r))) {
        continue;
      }
      Map<String, Object> row = new HashMap<>();
      for (int c = 0; c < schema.length(); c++) {
        ColumnVector v = data.getColumnVector(c);
        var type = schema.at(c).getDataType();
        if (v.isNullAt(r)) {
          row.put(schema.at(c).getName(), null);
        } else if (type instanceof StringType) {
          row.put(schema.at(c).getName(), v.getString(r));
        } else if (type instanceof LongType) {
          row.put(schema.at(c).getName(), v.getLong(r));
        }
      }
      rows.add(row);
    }
  }

  private static CloseableIterator<FileStatus> single(FileStatus status) {
    return new CloseableIterator<>() {
      boolean done;

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public FileStatus next() {
        done = true;
        return status;
      }

      @Override
      public void close() {}
    };
  }

}
