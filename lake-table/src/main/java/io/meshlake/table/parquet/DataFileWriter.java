package io.meshlake.table.parquet;

import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.TableStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Writes one Parquet data file of a table (its non-partition columns), collecting the Delta
 * statistics as it goes. Rows are split into column buffers and each page is encoded in one pass
 * (levels run-length encoded, values PLAIN, then compressed); parquet-mr's file writer lays out the
 * row groups and the footer. The file is invisible until {@link #close()} returns: nothing in the
 * log points at it before the commit that adds it, and an abandoned file is only garbage for vacuum.
 */
public final class DataFileWriter implements AutoCloseable {

  /** Pages are cut at about this many bytes of a column (Parquet readers' usual page size). */
  static final int PAGE_BYTES = 256 * 1024;

  private final String relativePath;
  private final String qualifiedPath;
  private final StatsCollector stats;
  private final CountingOutputFile output;
  private final ParquetFileWriter file;
  private final CompressionCodecName codec;
  private final long rowGroupBytes;
  private final RowShredder shredder;
  private final ColumnBuffer[] columns;
  /** Where a page is assembled before compression: one per writing thread, not one per file. */
  private static final ThreadLocal<ByteSink> PAGE_SCRATCH = ThreadLocal.withInitial(() -> new ByteSink(64 * 1024));
  private long rowGroupRows;
  /** {@link #bytesWritten()}'s last answer and the row count it was computed at. */
  private long size;
  private long sizeCheckedAt = -1;
  private WrittenFile result;
  private boolean closed;

  public DataFileWriter(TableStore store, String tableRoot, String relativePath, TableSchema fileSchema,
      CompressionCodecName codec, long rowGroupBytes) throws IOException {
    this(store, tableRoot, relativePath, fileSchema, codec, rowGroupBytes, null);
  }

  /**
   * @param lowCardinalityColumns top-level string columns of few distinct values (enum names) whose
   *     min/max go into the file's statistics; null for none. {@code resource_ari} always has them;
   *     other strings and binaries do not (long text prunes nothing and costs a comparison per value).
   */
  public DataFileWriter(TableStore store, String tableRoot, String relativePath, TableSchema fileSchema,
      CompressionCodecName codec, long rowGroupBytes, Set<String> lowCardinalityColumns) throws IOException {
    this.relativePath = relativePath;
    this.qualifiedPath = store.qualify(tableRoot + "/" + relativePath);
    this.stats = new StatsCollector(fileSchema);
    this.codec = codec;
    this.rowGroupBytes = rowGroupBytes;
    Set<String> trackedStrings = new HashSet<>();
    trackedStrings.add("resource_ari");
    if (lowCardinalityColumns != null) {
      trackedStrings.addAll(lowCardinalityColumns);
    }
    MessageType messageType = ParquetSchemas.messageType(fileSchema);
    this.shredder = new RowShredder(fileSchema, trackedStrings, PageCompressor.of(codec));
    this.columns = shredder.columns();
    this.output = new CountingOutputFile(store, qualifiedPath);
    this.file = new ParquetFileWriter(output, messageType, ParquetFileWriter.Mode.OVERWRITE, rowGroupBytes, 0,
        ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH, ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH,
        false);
    file.start();
  }

  /**
   * Writes a row of the file schema; a string value may be a String, its UTF-8 bytes or a
   * {@link ByteSlice} of them (binary values bytes or a slice). The row's arrays are not kept.
   */
  public void write(Object[] row) throws IOException {
    if (closed) {
      throw new IllegalStateException("file " + relativePath + " is closed");
    }
    shredder.write(row);
    stats.add(row);
    rowGroupRows++;
    // Pages and row groups end only between rows, so each page's row count is exact.
    for (ColumnBuffer column : columns) {
      if (column.openPageBytes() >= PAGE_BYTES) {
        column.cutPage(PAGE_SCRATCH.get());
      }
    }
    if ((rowGroupRows & 255) == 0 && bufferedBytes() >= rowGroupBytes) {
      writeRowGroup();
    }
  }

  private long bufferedBytes() {
    long n = 0;
    for (ColumnBuffer column : columns) {
      n += column.bufferedBytes();
    }
    return n;
  }

  private void writeRowGroup() throws IOException {
    if (rowGroupRows == 0) {
      return;
    }
    file.startBlock(rowGroupRows);
    for (ColumnBuffer column : columns) {
      column.writeChunk(file, codec, PAGE_SCRATCH.get());
    }
    file.endBlock();
    rowGroupRows = 0;
  }

  public long rowCount() {
    return stats.rows();
  }

  /** Bytes written so far, including the open row group's buffers (refreshed every 256 rows). */
  public long bytesWritten() {
    if (stats.rows() - sizeCheckedAt >= 256 || sizeCheckedAt < 0) {
      size = output.position + bufferedBytes();
      sizeCheckedAt = stats.rows();
    }
    return size;
  }

  @Override
  public void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writeRowGroup();
      file.end(Map.of("writer", "meshlake", "writer.model.name", "meshlake"));
    } finally {
      try {
        file.close();
      } finally {
        for (ColumnBuffer column : columns) {
          column.release();
        }
      }
    }
    result = new WrittenFile(relativePath, output.position, System.currentTimeMillis(), stats.result());
  }

  public WrittenFile result() {
    if (result == null) {
      throw new IllegalStateException("file " + relativePath + " is not closed yet");
    }
    return result;
  }

  public String qualifiedPath() {
    return qualifiedPath;
  }

  /** A parquet-mr output file over a store stream, counting the bytes for the log's file size. */
  private static final class CountingOutputFile implements OutputFile {
    private final TableStore store;
    private final String path;
    long position;

    CountingOutputFile(TableStore store, String path) {
      this.store = store;
      this.path = path;
    }

    @Override
    public PositionOutputStream create(long blockSizeHint) throws IOException {
      return createOrOverwrite(blockSizeHint);
    }

    @Override
    public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
      OutputStream out = store.create(path);
      return new PositionOutputStream() {
        @Override
        public long getPos() {
          return position;
        }

        @Override
        public void write(int b) throws IOException {
          out.write(b);
          position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          out.write(b, off, len);
          position += len;
        }

        @Override
        public void flush() throws IOException {
          out.flush();
        }

        @Override
        public void close() throws IOException {
          out.close();
        }
      };
    }

    @Override
    public boolean supportsBlockSize() {
      return false;
    }

    @Override
    public long defaultBlockSize() {
      return 0;
    }

    @Override
    public String getPath() {
      return path;
    }
  }
}
