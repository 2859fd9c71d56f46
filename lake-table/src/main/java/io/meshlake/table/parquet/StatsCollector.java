package io.meshlake.table.parquet;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Accumulates {@link FileStats} over the rows written to one file. */
final class StatsCollector {

  /** Strings longer than this get no exact bound in the log (as Delta writers truncate them). */
  static final int MAX_STRING_STAT_LENGTH = 64;

  private final TableSchema schema;
  private final boolean[] tracked;
  private final Object[] min;
  private final Object[] max;
  private final boolean[] maxUnbounded;
  private final long[] nulls;
  private long rows;

  StatsCollector(TableSchema schema) {
    this.schema = schema;
    int n = schema.size();
    tracked = new boolean[n];
    for (int i = 0; i < n; i++) {
      tracked[i] = schema.fields().get(i).type() instanceof ColumnType.Primitive p && p != ColumnType.Primitive.BINARY;
    }
    min = new Object[n];
    max = new Object[n];
    maxUnbounded = new boolean[n];
    nulls = new long[n];
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  void add(Object[] row) {
    rows++;
    for (int i = 0; i < tracked.length; i++) {
      Object v = row[i];
      if (v == null) {
        nulls[i]++;
        continue;
      }
      if (!tracked[i]) {
        continue;
      }
      if (v instanceof byte[] utf8) {
        // A string column given as UTF-8 bytes: ordered by bytes (code points), as Delta readers order strings.
        if (min[i] == null || Arrays.compareUnsigned(utf8, (byte[]) min[i]) < 0) {
          min[i] = utf8;
        }
        if (max[i] == null || Arrays.compareUnsigned(utf8, (byte[]) max[i]) > 0) {
          max[i] = utf8;
        }
        continue;
      }
      Comparable c = (Comparable) v;
      if (min[i] == null || c.compareTo(min[i]) < 0) {
        min[i] = v;
      }
      if (max[i] == null || c.compareTo(max[i]) > 0) {
        max[i] = v;
      }
    }
  }

  FileStats result() {
    Map<String, Object> mins = new HashMap<>();
    Map<String, Object> maxs = new HashMap<>();
    Map<String, Long> nullCounts = new HashMap<>();
    for (int i = 0; i < tracked.length; i++) {
      String name = schema.fields().get(i).name();
      if (schema.fields().get(i).type() instanceof ColumnType.Primitive) {
        nullCounts.put(name, nulls[i]);
      }
      if (!tracked[i] || min[i] == null) {
        continue;
      }
      if (min[i] instanceof byte[] utf8) {
        min[i] = new String(utf8, StandardCharsets.UTF_8);
        max[i] = new String((byte[]) max[i], StandardCharsets.UTF_8);
      }
      if (min[i] instanceof String s && s.length() > MAX_STRING_STAT_LENGTH) {
        mins.put(name, s.substring(0, MAX_STRING_STAT_LENGTH));
      } else {
        mins.put(name, min[i]);
      }
      if (!(max[i] instanceof String s && s.length() > MAX_STRING_STAT_LENGTH) && !maxUnbounded[i]) {
        maxs.put(name, max[i]);
      }
    }
    return new FileStats(rows, mins, maxs, nullCounts);
  }

  long rows() {
    return rows;
  }

  @Override
  public String toString() {
    return "StatsCollector" + Arrays.toString(min);
  }
}
