package io.meshlake.table.parquet;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.SchemaCache;
import io.meshlake.table.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * The Parquet layout of a table's data files, as Spark, Delta Kernel and DuckDB expect it: every
 * column optional, strings UTF8, timestamps INT64 micros adjusted to UTC, dates INT32 DATE, arrays as
 * the standard three-level LIST.
 */
public final class ParquetSchemas {

  private ParquetSchemas() {}

  /** parquet-mr's schema types are immutable, so one instance per schema serves every file. */
  private static final SchemaCache<MessageType> MESSAGE_TYPES = new SchemaCache<>(ParquetSchemas::build);
  /** The leaf columns of each schema's message type, which parquet-mr recomputes on every call. */
  private static final SchemaCache<List<ColumnDescriptor>> COLUMNS =
      new SchemaCache<>(schema -> List.copyOf(messageType(schema).getColumns()));

  public static MessageType messageType(TableSchema schema) {
    return MESSAGE_TYPES.get(schema);
  }

  /** {@code messageType(schema).getColumns()}, computed once per schema. */
  static List<ColumnDescriptor> columns(TableSchema schema) {
    return COLUMNS.get(schema);
  }

  private static MessageType build(TableSchema schema) {
    List<Type> fields = new ArrayList<>();
    for (ColumnType.Field f : schema.fields()) {
      fields.add(type(f.name(), f.type()));
    }
    return new MessageType("spark_schema", fields);
  }

  static Type type(String name, ColumnType type) {
    if (type instanceof ColumnType.Primitive p) {
      return switch (p) {
        case STRING -> Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
        case LONG -> Types.optional(PrimitiveTypeName.INT64).named(name);
        case INT -> Types.optional(PrimitiveTypeName.INT32).named(name);
        case DOUBLE -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
        case FLOAT -> Types.optional(PrimitiveTypeName.FLOAT).named(name);
        case BOOLEAN -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
        case BINARY -> Types.optional(PrimitiveTypeName.BINARY).named(name);
        case TIMESTAMP -> Types.optional(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
        case DATE -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
      };
    }
    if (type instanceof ColumnType.Array a) {
      Type element = type("element", a.element());
      return Types.optionalGroup().as(LogicalTypeAnnotation.listType())
          .addField(Types.repeatedGroup().addField(element).named("list"))
          .named(name);
    }
    ColumnType.Struct s = (ColumnType.Struct) type;
    List<Type> members = new ArrayList<>();
    for (ColumnType.Field f : s.fields()) {
      members.add(type(f.name(), f.type()));
    }
    return new GroupType(Type.Repetition.OPTIONAL, name, members);
  }
}
