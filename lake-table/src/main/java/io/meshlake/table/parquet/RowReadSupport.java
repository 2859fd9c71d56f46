package io.meshlake.table.parquet;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.InitContext;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * Materializes Parquet records straight into {@code Object[]} rows of a {@link TableSchema} (the
 * reverse of {@link RowWriteSupport}), reading only the schema's columns. Much cheaper than
 * parquet-mr's generic {@code Group} records, which merges, compaction and scans read through.
 */
final class RowReadSupport extends ReadSupport<Object[]> {

  private final TableSchema schema;

  RowReadSupport(TableSchema schema) {
    this.schema = schema;
  }

  @Override
  public ReadContext init(InitContext context) {
    MessageType requested = ParquetSchemas.messageType(schema);
    // Columns the file lacks (written before a column existed) are read as nulls.
    MessageType fileSchema = context.getFileSchema();
    List<Type> present = new ArrayList<>();
    for (Type t : requested.getFields()) {
      if (fileSchema.containsField(t.getName())) {
        present.add(t);
      }
    }
    return new ReadContext(new MessageType(requested.getName(), present));
  }

  @Override
  public RecordMaterializer<Object[]> prepareForRead(ParquetConfiguration configuration, Map<String, String> keyValueMetaData,
      MessageType fileSchema, ReadContext readContext) {
    StructConverter root = new StructConverter(schema.struct(), readContext.getRequestedSchema(), v -> {});
    return new RecordMaterializer<>() {
      @Override
      public Object[] getCurrentRecord() {
        return root.current;
      }

      @Override
      public GroupConverter getRootConverter() {
        return root;
      }
    };
  }

  @Override
  public RecordMaterializer<Object[]> prepareForRead(org.apache.hadoop.conf.Configuration configuration,
      Map<String, String> keyValueMetaData, MessageType fileSchema, ReadContext readContext) {
    return prepareForRead((ParquetConfiguration) null, keyValueMetaData, fileSchema, readContext);
  }

  /** Where a converted value goes. */
  private interface Slot {
    void set(Object value);
  }

  private static Converter converter(ColumnType type, Type parquet, Slot slot) {
    if (type instanceof ColumnType.Primitive p) {
      return new ValueConverter(p, slot);
    }
    if (type instanceof ColumnType.Array a) {
      return new ListConverter(a, parquet.asGroupType(), slot);
    }
    return new StructConverter((ColumnType.Struct) type, parquet.asGroupType(), slot);
  }

  /** A struct (or the record itself): one slot per member, in the table schema's order. */
  private static final class StructConverter extends GroupConverter {
    private final Converter[] children;
    private final Slot slot;
    private final int width;
    Object[] current;

    StructConverter(ColumnType.Struct struct, GroupType parquet, Slot slot) {
      this.slot = slot;
      this.width = struct.fields().size();
      this.children = new Converter[parquet.getFieldCount()];
      for (int i = 0; i < parquet.getFieldCount(); i++) {
        Type field = parquet.getType(i);
        int index = struct.indexOf(field.getName());
        ColumnType.Field f = struct.fields().get(index);
        children[i] = converter(f.type(), field, value -> current[index] = value);
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return children[fieldIndex];
    }

    @Override
    public void start() {
      current = new Object[width];
    }

    @Override
    public void end() {
      slot.set(current);
    }
  }

  /** The standard three-level LIST: an optional group holding a repeated group of one element. */
  private static final class ListConverter extends GroupConverter {
    private final GroupConverter repeated;
    private final Slot slot;
    private List<Object> values;
    private Object element;

    ListConverter(ColumnType.Array array, GroupType parquet, Slot slot) {
      this.slot = slot;
      GroupType list = parquet.getType(0).asGroupType();
      Converter elementConverter = converter(array.element(), list.getType(0), value -> element = value);
      this.repeated = new GroupConverter() {
        @Override
        public Converter getConverter(int fieldIndex) {
          return elementConverter;
        }

        @Override
        public void start() {
          element = null;
        }

        @Override
        public void end() {
          values.add(element);
        }
      };
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return repeated;
    }

    @Override
    public void start() {
      values = new ArrayList<>();
    }

    @Override
    public void end() {
      slot.set(values);
    }
  }

  private static final class ValueConverter extends PrimitiveConverter {
    private final ColumnType.Primitive type;
    private final Slot slot;

    ValueConverter(ColumnType.Primitive type, Slot slot) {
      this.type = type;
      this.slot = slot;
    }

    @Override
    public void addBinary(Binary value) {
      slot.set(type == ColumnType.Primitive.STRING ? value.toStringUsingUTF8() : value.getBytes());
    }

    @Override
    public void addLong(long value) {
      slot.set(value);
    }

    @Override
    public void addInt(int value) {
      slot.set(type == ColumnType.Primitive.LONG ? (Object) (long) value : (Object) value);
    }

    @Override
    public void addDouble(double value) {
      slot.set(value);
    }

    @Override
    public void addFloat(float value) {
      slot.set(value);
    }

    @Override
    public void addBoolean(boolean value) {
      slot.set(value);
    }
  }

}
