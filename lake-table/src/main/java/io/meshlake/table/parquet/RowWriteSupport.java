package io.meshlake.table.parquet;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/** Writes {@code Object[]} rows of a {@link TableSchema} through parquet-mr's record consumer. */
final class RowWriteSupport extends WriteSupport<Object[]> {

  private final TableSchema schema;
  private final MessageType messageType;
  private final Map<String, String> metadata;
  private RecordConsumer consumer;

  RowWriteSupport(TableSchema schema, Map<String, String> metadata) {
    this.schema = schema;
    this.messageType = ParquetSchemas.messageType(schema);
    this.metadata = new HashMap<>(metadata);
  }

  @Override
  public WriteContext init(Configuration configuration) {
    return new WriteContext(messageType, metadata);
  }

  @Override
  public String getName() {
    return "meshlake";
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.consumer = recordConsumer;
  }

  @Override
  public void write(Object[] row) {
    consumer.startMessage();
    writeFields(schema.fields(), row);
    consumer.endMessage();
  }

  private void writeFields(List<ColumnType.Field> fields, Object[] values) {
    for (int i = 0; i < fields.size(); i++) {
      Object value = values[i];
      if (value == null) {
        continue;
      }
      ColumnType.Field f = fields.get(i);
      consumer.startField(f.name(), i);
      writeValue(f.type(), value);
      consumer.endField(f.name(), i);
    }
  }

  private void writeValue(ColumnType type, Object value) {
    if (type instanceof ColumnType.Primitive p) {
      switch (p) {
        case STRING -> consumer.addBinary(Binary.fromConstantByteArray(((String) value).getBytes(StandardCharsets.UTF_8)));
        case LONG, TIMESTAMP -> consumer.addLong(((Number) value).longValue());
        case INT, DATE -> consumer.addInteger(((Number) value).intValue());
        case DOUBLE -> consumer.addDouble(((Number) value).doubleValue());
        case FLOAT -> consumer.addFloat(((Number) value).floatValue());
        case BOOLEAN -> consumer.addBoolean((Boolean) value);
        case BINARY -> consumer.addBinary(Binary.fromConstantByteArray((byte[]) value));
      }
      return;
    }
    if (type instanceof ColumnType.Array a) {
      List<?> list = (List<?>) value;
      consumer.startGroup();
      if (!list.isEmpty()) {
        consumer.startField("list", 0);
        for (Object element : list) {
          consumer.startGroup();
          if (element != null) {
            consumer.startField("element", 0);
            writeValue(a.element(), element);
            consumer.endField("element", 0);
          }
          consumer.endGroup();
        }
        consumer.endField("list", 0);
      }
      consumer.endGroup();
      return;
    }
    ColumnType.Struct s = (ColumnType.Struct) type;
    consumer.startGroup();
    writeFields(s.fields(), (Object[]) value);
    consumer.endGroup();
  }
}
