package io.meshlake.query;

import io.meshlake.table.schema.ColumnType;
import java.util.StringJoiner;

/** DuckDB's names for meshlake column types, and quoting of identifiers and literals in generated SQL. */
final class DuckTypes {

  private DuckTypes() {}

  static String sqlType(ColumnType type) {
    if (type instanceof ColumnType.Primitive p) {
      return switch (p) {
        case STRING -> "VARCHAR";
        case LONG -> "BIGINT";
        case INT -> "INTEGER";
        case DOUBLE -> "DOUBLE";
        case FLOAT -> "FLOAT";
        case BOOLEAN -> "BOOLEAN";
        case BINARY -> "BLOB";
        // Files store UTC instants (isAdjustedToUTC), which DuckDB reads as TIMESTAMPTZ.
        case TIMESTAMP -> "TIMESTAMPTZ";
        case DATE -> "DATE";
      };
    }
    if (type instanceof ColumnType.Array a) {
      return sqlType(a.element()) + "[]";
    }
    StringJoiner fields = new StringJoiner(", ", "STRUCT(", ")");
    for (ColumnType.Field f : ((ColumnType.Struct) type).fields()) {
      fields.add(identifier(f.name()) + " " + sqlType(f.type()));
    }
    return fields.toString();
  }

  /** A double-quoted identifier; DuckDB reads {@code ""} inside as one quote. */
  static String identifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** A standard SQL string literal; DuckDB treats backslashes in it literally. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
