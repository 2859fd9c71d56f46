package io.meshlake.table.schema;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A value derived from a table schema (its Parquet or Kernel form), built once per distinct schema
 * rather than once per data file: a sink task writes about a hundred files per commit, and building
 * these per file cost CPU and kept the JIT compiling schema code. Schemas compare by value; the
 * cache forgets everything once it holds {@link #MAX_SCHEMAS} of them, so a process that sees many
 * schema versions does not grow without bound.
 */
public final class SchemaCache<V> {

  static final int MAX_SCHEMAS = 256;

  private final Map<TableSchema, V> values = new ConcurrentHashMap<>();
  private final Function<TableSchema, V> derive;

  public SchemaCache(Function<TableSchema, V> derive) {
    this.derive = derive;
  }

  /** The value for the schema; derived values must be immutable, since every caller shares them. */
  public V get(TableSchema schema) {
    V value = values.get(schema);
    if (value == null) {
      if (values.size() >= MAX_SCHEMAS) {
        values.clear();
      }
      value = derive.apply(schema);
      values.put(schema, value);
    }
    return value;
  }

  int size() {
    return values.size();
  }
}
