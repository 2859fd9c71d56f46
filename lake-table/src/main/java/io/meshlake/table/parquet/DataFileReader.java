package io.meshlake.table.parquet;

import io.meshlake.table.schema.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.InputFile;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads a data file back into {@code Object[]} rows of the given schema (which may be a subset of
 * the file's columns: only those are read), through {@link RowReadSupport}. Rows come in file order, so the n-th row has row
 * position n — the position deletion vectors refer to.
 */
public final class DataFileReader {

  private DataFileReader() {}

  public static void read(InputFile file, TableSchema schema, Consumer<Object[]> rows) throws IOException {
    read(file, schema, null, rows);
  }

  /** Reads the rows whose positions are not in {@code deleted} (a deletion vector; null for none). */
  public static void read(InputFile file, TableSchema schema, RoaringBitmap deleted, Consumer<Object[]> rows) throws IOException {
    readPositions(file, schema, deleted, (position, row) -> rows.accept(row));
  }

  /** A row and its position in the file. */
  public interface PositionedRows {
    void accept(long position, Object[] row);
  }

  /** Reads rows with their positions, skipping those in {@code deleted} (null for none). */
  public static void readPositions(InputFile file, TableSchema schema, RoaringBitmap deleted, PositionedRows rows) throws IOException {
    try (ParquetReader<Object[]> reader = new Builder(file, schema).build()) {
      Object[] row;
      long position = 0;
      while ((row = reader.read()) != null) {
        if (deleted == null || position > Integer.MAX_VALUE || !deleted.contains((int) position)) {
          rows.accept(position, row);
        }
        position++;
      }
    }
  }

  /** A pull-based view of a file's rows (skipping deleted positions), for merging sorted files. */
  public static final class Cursor implements AutoCloseable {
    private final ParquetReader<Object[]> reader;
    private final TableSchema schema;
    private final RoaringBitmap deleted;
    private long nextPosition;
    private long position = -1;
    private Object[] row;

    private Cursor(ParquetReader<Object[]> reader, TableSchema schema, RoaringBitmap deleted) {
      this.reader = reader;
      this.schema = schema;
      this.deleted = deleted;
    }

    /** Advances to the next live row; false at the end. */
    public boolean next() throws IOException {
      Object[] next;
      while ((next = reader.read()) != null) {
        long p = nextPosition++;
        if (deleted == null || p > Integer.MAX_VALUE || !deleted.contains((int) p)) {
          position = p;
          row = next;
          return true;
        }
      }
      row = null;
      return false;
    }

    public long position() {
      return position;
    }

    public Object[] row() {
      return row;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }

  public static Cursor open(InputFile file, TableSchema schema, RoaringBitmap deleted) throws IOException {
    return new Cursor(new Builder(file, schema).build(), schema, deleted);
  }

  public static List<Object[]> readAll(InputFile file, TableSchema schema) throws IOException {
    List<Object[]> rows = new ArrayList<>();
    read(file, schema, rows::add);
    return rows;
  }

  /**
   * A plain (Hadoop-free) configuration naming the columns to read: a Hadoop {@code Configuration}
   * would parse its default XML resources for every file opened.
   */
  private static final class Builder extends ParquetReader.Builder<Object[]> {
    private final TableSchema schema;

    Builder(InputFile file, TableSchema schema) {
      super(file, new PlainParquetConfiguration());
      this.schema = schema;
    }

    @Override
    protected ReadSupport<Object[]> getReadSupport() {
      return new RowReadSupport(schema);
    }
  }
}
