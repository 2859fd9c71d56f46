package io.meshlake.table.parquet;

import io.meshlake.table.schema.TableSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter.RecordFilter;
import org.apache.parquet.filter.UnboundRecordFilter;
import org.apache.parquet.filter2.compat.FilterCompat;
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
    try (Cursor cursor = open(file, schema, deleted)) {
      while (cursor.next()) {
        rows.accept(cursor.position(), cursor.row());
      }
    }
  }

  /**
   * Counts row positions as the record reader reaches them and refuses the deleted ones, so that
   * their values are skipped instead of assembled into rows (self-compaction reads files that are
   * half deleted). The reader asks once per row, in file order, across row groups: no row group is
   * ever skipped, as only predicate filters drop row groups.
   */
  private static final class LiveRows implements UnboundRecordFilter, RecordFilter {
    private final RoaringBitmap deleted;
    private long next;
    private long lastLive = -1;

    LiveRows(RoaringBitmap deleted) {
      this.deleted = deleted;
    }

    @Override
    public RecordFilter bind(Iterable<ColumnReader> readers) {
      return this;
    }

    @Override
    public boolean isMatch() {
      long position = next++;
      if (position > Integer.MAX_VALUE || !deleted.contains((int) position)) {
        lastLive = position;
        return true;
      }
      return false;
    }
  }

  /** A pull-based view of a file's rows (skipping deleted positions), for merging sorted files. */
  public static final class Cursor implements AutoCloseable {
    private final ParquetReader<Object[]> reader;
    private final LiveRows live;
    private long nextPosition;
    private long position = -1;
    private Object[] row;

    private Cursor(ParquetReader<Object[]> reader, LiveRows live) {
      this.reader = reader;
      this.live = live;
    }

    /** Advances to the next live row; false at the end. */
    public boolean next() throws IOException {
      row = reader.read();
      if (row == null) {
        return false;
      }
      position = live == null ? nextPosition++ : live.lastLive;
      return true;
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
    Builder builder = new Builder(file, schema);
    if (deleted == null || deleted.isEmpty()) {
      return new Cursor(builder.build(), null);
    }
    LiveRows live = new LiveRows(deleted);
    return new Cursor(builder.withFilter(FilterCompat.get(live)).build(), live);
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
