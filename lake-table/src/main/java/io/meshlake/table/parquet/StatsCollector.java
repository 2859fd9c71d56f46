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

  /**
   * How a column's values compare: integers as longs, floats as doubles (in Double.compare's order,
   * as Float and Double compare themselves), strings as text or as UTF-8 bytes. One typed comparison
   * per value instead of a Comparable call that sees every column's type.
   */
  private static final byte UNTRACKED = 0;
  private static final byte INTEGRAL = 1;
  private static final byte FLOATING = 2;
  private static final byte BOOL = 3;
  private static final byte TEXT = 4;

  private final TableSchema schema;
  private final byte[] kinds;
  /** The bounds as the values written (so the log gets the column's own type). */
  private final Object[] min;
  private final Object[] max;
  private final long[] minLong;
  private final long[] maxLong;
  private final double[] minDouble;
  private final double[] maxDouble;
  private final long[] nulls;
  private long rows;

  StatsCollector(TableSchema schema) {
    this.schema = schema;
    int n = schema.size();
    kinds = new byte[n];
    for (int i = 0; i < n; i++) {
      kinds[i] = schema.fields().get(i).type() instanceof ColumnType.Primitive p ? switch (p) {
        case LONG, INT, TIMESTAMP, DATE -> INTEGRAL;
        case DOUBLE, FLOAT -> FLOATING;
        case BOOLEAN -> BOOL;
        case STRING -> TEXT;
        case BINARY -> UNTRACKED;
      } : UNTRACKED;
    }
    min = new Object[n];
    max = new Object[n];
    minLong = new long[n];
    maxLong = new long[n];
    minDouble = new double[n];
    maxDouble = new double[n];
    nulls = new long[n];
  }

  void add(Object[] row) {
    rows++;
    for (int i = 0; i < kinds.length; i++) {
      Object v = row[i];
      if (v == null) {
        nulls[i]++;
        continue;
      }
      switch (kinds[i]) {
        case INTEGRAL -> {
          long x = ((Number) v).longValue();
          if (min[i] == null || x < minLong[i]) {
            minLong[i] = x;
            min[i] = v;
          }
          if (max[i] == null || x > maxLong[i]) {
            maxLong[i] = x;
            max[i] = v;
          }
        }
        case FLOATING -> {
          double x = ((Number) v).doubleValue();
          if (min[i] == null || Double.compare(x, minDouble[i]) < 0) {
            minDouble[i] = x;
            min[i] = v;
          }
          if (max[i] == null || Double.compare(x, maxDouble[i]) > 0) {
            maxDouble[i] = x;
            max[i] = v;
          }
        }
        case BOOL -> {
          boolean x = (Boolean) v;
          if (min[i] == null || (!x && (Boolean) min[i])) {
            min[i] = v;
          }
          if (max[i] == null || (x && !(Boolean) max[i])) {
            max[i] = v;
          }
        }
        case TEXT -> {
          if (v instanceof ByteSlice slice) {
            // Copied only when it becomes a bound: the slice's array is the caller's.
            if (min[i] == null || slice.compareTo((byte[]) min[i]) < 0) {
              min[i] = slice.toByteArray();
            }
            if (max[i] == null || slice.compareTo((byte[]) max[i]) > 0) {
              max[i] = slice.toByteArray();
            }
          } else if (v instanceof byte[] utf8) {
            // Given as UTF-8 bytes: ordered by bytes (code points), as Delta readers order strings.
            if (min[i] == null || Arrays.compareUnsigned(utf8, (byte[]) min[i]) < 0) {
              min[i] = utf8;
            }
            if (max[i] == null || Arrays.compareUnsigned(utf8, (byte[]) max[i]) > 0) {
              max[i] = utf8;
            }
          } else {
            String text = (String) v;
            if (min[i] == null || text.compareTo((String) min[i]) < 0) {
              min[i] = text;
            }
            if (max[i] == null || text.compareTo((String) max[i]) > 0) {
              max[i] = text;
            }
          }
        }
        default -> {
          // BINARY and nested columns: null counts only
        }
      }
    }
  }

  FileStats result() {
    Map<String, Object> mins = new HashMap<>();
    Map<String, Object> maxs = new HashMap<>();
    Map<String, Long> nullCounts = new HashMap<>();
    for (int i = 0; i < kinds.length; i++) {
      String name = schema.fields().get(i).name();
      if (schema.fields().get(i).type() instanceof ColumnType.Primitive) {
        nullCounts.put(name, nulls[i]);
      }
      if (kinds[i] == UNTRACKED || min[i] == null) {
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
      if (!(max[i] instanceof String s && s.length() > MAX_STRING_STAT_LENGTH)) {
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
