package io.meshlake.query;

import java.util.List;

/**
 * The answer to a query: its columns, its rows (values as plain Java objects: String, Long,
 * Integer, Double, BigDecimal, BigInteger, Boolean, ISO-8601 strings for dates and timestamps, List
 * for arrays, Map for structs, null), whether the row limit cut it, and how long it took.
 */
public record QueryResult(List<Column> columns, List<List<Object>> rows, boolean truncated, long elapsedMillis) {

  /** A result column: its name and DuckDB type name (e.g. VARCHAR, BIGINT, TIMESTAMP WITH TIME ZONE). */
  public record Column(String name, String type) {}

  public QueryResult {
    columns = List.copyOf(columns);
    rows = java.util.Collections.unmodifiableList(rows);
  }

  public int rowCount() {
    return rows.size();
  }
}
