package io.meshlake.table.schema;

import java.util.ArrayList;
import java.util.List;

/** The columns of a table, in order. A row of the table is an {@code Object[]} of the same length. */
public record TableSchema(ColumnType.Struct struct) {

  public TableSchema(List<ColumnType.Field> fields) {
    this(new ColumnType.Struct(fields));
  }

  public List<ColumnType.Field> fields() {
    return struct.fields();
  }

  public int size() {
    return struct.fields().size();
  }

  public int indexOf(String column) {
    return struct.indexOf(column);
  }

  /** The index of a column that must exist; the message lists the columns there are. */
  public int require(String column) {
    int index = struct.indexOf(column);
    if (index < 0) {
      throw new IllegalArgumentException("no column '" + column + "'; columns are " + names());
    }
    return index;
  }

  public ColumnType type(String column) {
    return fields().get(require(column)).type();
  }

  public List<String> names() {
    List<String> names = new ArrayList<>();
    fields().forEach(f -> names.add(f.name()));
    return names;
  }

  /** This schema without the given columns (e.g. partition columns, which live in the log, not in files). */
  public TableSchema without(List<String> columns) {
    return new TableSchema(fields().stream().filter(f -> !columns.contains(f.name())).toList());
  }

  @Override
  public String toString() {
    return struct.sqlName();
  }
}
