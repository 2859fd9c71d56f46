package io.meshlake.table.schema;

import java.util.List;

/**
 * The type of a table column. Values in rows are plain Java objects:
 * STRING → String, LONG → Long, INT → Integer, DOUBLE → Double, FLOAT → Float, BOOLEAN → Boolean,
 * BINARY → byte[], TIMESTAMP → Long microseconds since the epoch (UTC), DATE → Integer days since the
 * epoch, ARRAY → {@code List<Object>}, STRUCT → {@code Object[]} in field order. Any value may be null.
 */
public sealed interface ColumnType permits ColumnType.Primitive, ColumnType.Array, ColumnType.Struct {

  enum Primitive implements ColumnType {
    STRING, LONG, INT, DOUBLE, FLOAT, BOOLEAN, BINARY, TIMESTAMP, DATE;

    @Override
    public String sqlName() {
      return switch (this) {
        case STRING -> "STRING";
        case LONG -> "BIGINT";
        case INT -> "INT";
        case DOUBLE -> "DOUBLE";
        case FLOAT -> "FLOAT";
        case BOOLEAN -> "BOOLEAN";
        case BINARY -> "BINARY";
        case TIMESTAMP -> "TIMESTAMP";
        case DATE -> "DATE";
      };
    }
  }

  record Array(ColumnType element) implements ColumnType {
    @Override
    public String sqlName() {
      return "ARRAY<" + element.sqlName() + ">";
    }
  }

  record Struct(List<Field> fields) implements ColumnType {
    public Struct {
      fields = List.copyOf(fields);
    }

    public int indexOf(String name) {
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).name().equals(name)) {
          return i;
        }
      }
      return -1;
    }

    public Field field(String name) {
      int i = indexOf(name);
      return i < 0 ? null : fields.get(i);
    }

    @Override
    public String sqlName() {
      StringBuilder sb = new StringBuilder("STRUCT<");
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          sb.append(", ");
        }
        sb.append(fields.get(i).name()).append(": ").append(fields.get(i).type().sqlName());
      }
      return sb.append('>').toString();
    }
  }

  /** A Spark-SQL-style type name, for messages and docs. */
  String sqlName();

  /** A named column or struct member. All columns are nullable: proto3 has no required fields. */
  record Field(String name, ColumnType type) {}
}
