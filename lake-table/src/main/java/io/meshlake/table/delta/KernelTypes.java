package io.meshlake.table.delta;

import io.delta.kernel.expressions.Literal;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.BinaryType;
import io.delta.kernel.types.BooleanType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.DateType;
import io.delta.kernel.types.DoubleType;
import io.delta.kernel.types.FloatType;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.TimestampType;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.SchemaCache;
import io.meshlake.table.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;

/** Translates meshlake column types and values to Delta Kernel's. */
public final class KernelTypes {

  private KernelTypes() {}

  /** Kernel's types are immutable, so one instance per schema serves every file and commit. */
  private static final SchemaCache<StructType> STRUCT_TYPES = new SchemaCache<>(schema -> struct(schema.struct()));

  public static StructType structType(TableSchema schema) {
    return STRUCT_TYPES.get(schema);
  }

  static StructType struct(ColumnType.Struct s) {
    List<StructField> fields = new ArrayList<>();
    for (ColumnType.Field f : s.fields()) {
      fields.add(new StructField(f.name(), dataType(f.type()), true));
    }
    return new StructType(fields);
  }

  static DataType dataType(ColumnType type) {
    if (type instanceof ColumnType.Primitive p) {
      return switch (p) {
        case STRING -> StringType.STRING;
        case LONG -> LongType.LONG;
        case INT -> IntegerType.INTEGER;
        case DOUBLE -> DoubleType.DOUBLE;
        case FLOAT -> FloatType.FLOAT;
        case BOOLEAN -> BooleanType.BOOLEAN;
        case BINARY -> BinaryType.BINARY;
        case TIMESTAMP -> TimestampType.TIMESTAMP;
        case DATE -> DateType.DATE;
      };
    }
    if (type instanceof ColumnType.Array a) {
      return new ArrayType(dataType(a.element()), true);
    }
    return struct((ColumnType.Struct) type);
  }

  /** The meshlake schema of a Kernel schema (for reading tables whose schema the reader does not know). */
  public static TableSchema tableSchema(StructType struct) {
    return new TableSchema(fromStruct(struct).fields());
  }

  static ColumnType.Struct fromStruct(StructType struct) {
    List<ColumnType.Field> fields = new ArrayList<>();
    for (StructField f : struct.fields()) {
      fields.add(new ColumnType.Field(f.getName(), fromKernel(f.getDataType())));
    }
    return new ColumnType.Struct(fields);
  }

  static ColumnType fromKernel(DataType type) {
    if (type instanceof StringType) {
      return ColumnType.Primitive.STRING;
    } else if (type instanceof LongType) {
      return ColumnType.Primitive.LONG;
    } else if (type instanceof IntegerType) {
      return ColumnType.Primitive.INT;
    } else if (type instanceof DoubleType) {
      return ColumnType.Primitive.DOUBLE;
    } else if (type instanceof FloatType) {
      return ColumnType.Primitive.FLOAT;
    } else if (type instanceof BooleanType) {
      return ColumnType.Primitive.BOOLEAN;
    } else if (type instanceof BinaryType) {
      return ColumnType.Primitive.BINARY;
    } else if (type instanceof TimestampType) {
      return ColumnType.Primitive.TIMESTAMP;
    } else if (type instanceof DateType) {
      return ColumnType.Primitive.DATE;
    } else if (type instanceof ArrayType a) {
      return new ColumnType.Array(fromKernel(a.getElementType()));
    } else if (type instanceof StructType s) {
      return fromStruct(s);
    }
    throw new IllegalArgumentException("column type " + type + " is not one meshlake writes");
  }

  /** A literal of a primitive column's value, for statistics and partition values. */
  public static Literal literal(ColumnType.Primitive type, Object value) {
    if (value == null) {
      return Literal.ofNull(dataType(type));
    }
    return switch (type) {
      case STRING -> Literal.ofString((String) value);
      case LONG -> Literal.ofLong(((Number) value).longValue());
      case INT -> Literal.ofInt(((Number) value).intValue());
      case DOUBLE -> Literal.ofDouble(((Number) value).doubleValue());
      case FLOAT -> Literal.ofFloat(((Number) value).floatValue());
      case BOOLEAN -> Literal.ofBoolean((Boolean) value);
      case BINARY -> Literal.ofBinary((byte[]) value);
      case TIMESTAMP -> Literal.ofTimestamp(((Number) value).longValue());
      case DATE -> Literal.ofDate(((Number) value).intValue());
    };
  }
}
