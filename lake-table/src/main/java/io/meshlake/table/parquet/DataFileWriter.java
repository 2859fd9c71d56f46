package io.meshlake.table.parquet;

import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.TableStore;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * Writes one Parquet data file of a table (its non-partition columns), collecting the Delta
 * statistics as it goes. The file is invisible until {@link #close()} returns: nothing in the log
 * points at it before the commit that adds it, and an abandoned file is only garbage for vacuum.
 */
public final class DataFileWriter implements AutoCloseable {

  private static final Configuration CONF = new Configuration(false);

  private final String relativePath;
  private final TableStore store;
  private final String qualifiedPath;
  private final StatsCollector stats;
  private final CountingOutputFile output;
  private final ParquetWriter<Object[]> writer;
  private WrittenFile result;

  public DataFileWriter(TableStore store, String tableRoot, String relativePath, TableSchema fileSchema,
      CompressionCodecName codec, long rowGroupBytes) throws IOException {
    this(store, tableRoot, relativePath, fileSchema, codec, rowGroupBytes, null);
  }

  /**
   * @param dictionaryColumns the top-level columns to dictionary-encode (low-cardinality ones such as
   *     enums); null for parquet-mr's default (all). Dictionary-encoding a column of unique values
   *     costs a hash lookup per value until parquet-mr gives up, for no gain.
   */
  public DataFileWriter(TableStore store, String tableRoot, String relativePath, TableSchema fileSchema,
      CompressionCodecName codec, long rowGroupBytes, java.util.Set<String> dictionaryColumns) throws IOException {
    this.store = store;
    this.relativePath = relativePath;
    this.qualifiedPath = store.qualify(tableRoot + "/" + relativePath);
    this.stats = new StatsCollector(fileSchema);
    this.output = new CountingOutputFile(store, qualifiedPath);
    Builder builder = new Builder(output, fileSchema);
    // Footer and page statistics of long text columns (descriptions, summaries) cost a byte-wise
    // comparison per value and prune nothing; the Delta log keeps per-file bounds anyway.
    for (io.meshlake.table.schema.ColumnType.Field f : fileSchema.fields()) {
      if (f.type() == io.meshlake.table.schema.ColumnType.Primitive.BINARY
          || (f.type() == io.meshlake.table.schema.ColumnType.Primitive.STRING && !f.name().equals("resource_ari")
              && (dictionaryColumns == null || !dictionaryColumns.contains(f.name())))) {
        builder.withStatisticsEnabled(f.name(), false);
      }
    }
    if (dictionaryColumns != null) {
      builder.withDictionaryEncoding(false);
      for (String column : dictionaryColumns) {
        builder.withDictionaryEncoding(column, true);
      }
    }
    // Pages of 256 KiB: parquet-mr allocates a compression buffer of one page per writer, and a
    // 1 MiB buffer is a humongous object for G1 in a small heap (half a region or more); a writer
    // that opens thousands of files per minute then spends its time in full collections.
    this.writer = builder
        .withConf(CONF)
        .withCompressionCodec(codec)
        .withRowGroupSize(rowGroupBytes)
        .withPageSize(256 * 1024)
        .withDictionaryPageSize(64 * 1024)
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
        .withPageWriteChecksumEnabled(false)
        .withSizeStatisticsEnabled(false)
        .build();
  }

  public void write(Object[] row) throws IOException {
    writer.write(row);
    stats.add(row);
  }

  public long rowCount() {
    return stats.rows();
  }

  /**
   * Bytes written so far, including the open row group's buffers. Asking parquet-mr walks every
   * column, so the answer is refreshed only every 256 rows.
   */
  public long bytesWritten() {
    if (stats.rows() - sizeCheckedAt >= 256 || sizeCheckedAt < 0) {
      size = writer.getDataSize();
      sizeCheckedAt = stats.rows();
    }
    return size;
  }

  private long size;
  private long sizeCheckedAt = -1;

  @Override
  public void close() throws IOException {
    if (result != null) {
      return;
    }
    writer.close();
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

  private static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
    private final TableSchema schema;

    Builder(OutputFile file, TableSchema schema) {
      super(file);
      this.schema = schema;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
      return new RowWriteSupport(schema, Map.of("writer", "meshlake"));
    }
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
