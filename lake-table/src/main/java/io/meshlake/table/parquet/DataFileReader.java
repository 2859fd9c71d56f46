package io.meshlake.table.parquet;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads a data file back into {@code Object[]} rows of the given schema (which may be a subset of
 * the file's columns: only those are read). Rows come in file order, so the n-th row has row
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
    MessageType projection = ParquetSchemas.messageType(schema);
    Configuration conf = new Configuration(false);
    conf.set(ReadSupport.PARQUET_READ_SCHEMA, projection.toString());
    try (ParquetReader<Group> reader = new Builder(file).withConf(conf).build()) {
      Group group;
      long position = 0;
      while ((group = reader.read()) != null) {
        if (deleted == null || position > Integer.MAX_VALUE || !deleted.contains((int) position)) {
          rows.accept(position, toRow(group, schema.fields()));
        }
        position++;
      }
    }
  }

  /** A pull-based view of a file's rows (skipping deleted positions), for merging sorted files. */
  public static final class Cursor implements AutoCloseable {
    private final ParquetReader<Group> reader;
    private final TableSchema schema;
    private final RoaringBitmap deleted;
    private long nextPosition;
    private long position = -1;
    private Object[] row;

    private Cursor(ParquetReader<Group> reader, TableSchema schema, RoaringBitmap deleted) {
      this.reader = reader;
      this.schema = schema;
      this.deleted = deleted;
    }

    /** Advances to the next live row; false at the end. */
    public boolean next() throws IOException {
      Group group;
      while ((group = reader.read()) != null) {
        long p = nextPosition++;
        if (deleted == null || p > Integer.MAX_VALUE || !deleted.contains((int) p)) {
          position = p;
          row = toRow(group, schema.fields());
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
    Configuration conf = new Configuration(false);
    conf.set(ReadSupport.PARQUET_READ_SCHEMA, ParquetSchemas.messageType(schema).toString());
    return new Cursor(new Builder(file).withConf(conf).build(), schema, deleted);
  }

  public static List<Object[]> readAll(InputFile file, TableSchema schema) throws IOException {
    List<Object[]> rows = new ArrayList<>();
    read(file, schema, rows::add);
    return rows;
  }

  private static Object[] toRow(Group group, List<ColumnType.Field> fields) {
    Object[] row = new Object[fields.size()];
    GroupType type = group.getType();
    for (int i = 0; i < fields.size(); i++) {
      ColumnType.Field f = fields.get(i);
      if (!type.containsField(f.name())) {
        continue;
      }
      int index = type.getFieldIndex(f.name());
      if (group.getFieldRepetitionCount(index) == 0) {
        continue;
      }
      row[i] = value(group, index, f.type());
    }
    return row;
  }

  private static Object value(Group group, int index, ColumnType type) {
    if (type instanceof ColumnType.Primitive p) {
      return switch (p) {
        case STRING -> new String(group.getBinary(index, 0).getBytesUnsafe(), StandardCharsets.UTF_8);
        case LONG, TIMESTAMP -> group.getLong(index, 0);
        case INT, DATE -> group.getInteger(index, 0);
        case DOUBLE -> group.getDouble(index, 0);
        case FLOAT -> group.getFloat(index, 0);
        case BOOLEAN -> group.getBoolean(index, 0);
        case BINARY -> group.getBinary(index, 0).getBytes();
      };
    }
    if (type instanceof ColumnType.Array a) {
      Group list = group.getGroup(index, 0);
      int count = list.getType().getFieldCount() == 0 ? 0 : list.getFieldRepetitionCount(0);
      List<Object> values = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        Group element = list.getGroup(0, i);
        values.add(element.getFieldRepetitionCount(0) == 0 ? null : value(element, 0, a.element()));
      }
      return values;
    }
    return toRow(group.getGroup(index, 0), ((ColumnType.Struct) type).fields());
  }

  private static final class Builder extends ParquetReader.Builder<Group> {
    Builder(InputFile file) {
      super(file);
    }

    @Override
    protected ReadSupport<Group> getReadSupport() {
      return new GroupReadSupport();
    }
  }
}
