package io.meshlake.table.parquet;

import java.util.Map;

/**
 * Per-file statistics for the Delta log: row count, and per top-level primitive column the minimum,
 * maximum and null count. A column missing from {@code min}/{@code max} has no usable bound (e.g. a
 * long string, whose exact maximum the log does not keep).
 */
public record FileStats(long numRecords, Map<String, Object> min, Map<String, Object> max, Map<String, Long> nullCount) {
  public FileStats {
    min = Map.copyOf(min);
    max = Map.copyOf(max);
    nullCount = Map.copyOf(nullCount);
  }
}
