package io.meshlake.sink.model;

import static io.meshlake.sink.model.SqlValues.MICROS_PER_DAY;
import static io.meshlake.sink.model.SqlValues.MICROS_PER_SECOND;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * CAST between primitive types, with Spark's (non-ANSI) results: a value that does not convert
 * (text that is not a number, an out-of-range number) is NULL rather than an error, so one odd event
 * cannot stop a table. Numbers to TIMESTAMP are seconds since the epoch; TIMESTAMP to numbers likewise.
 */
final class Casts {

  private Casts() {}

  /** The SQL type names CAST accepts. */
  static final String TYPE_NAMES = "STRING, BIGINT (LONG), INT (INTEGER), DOUBLE, FLOAT, BOOLEAN, TIMESTAMP, DATE, BINARY";

  /** The type a CAST names, or null when it names none that models support. */
  static Primitive typeNamed(String sqlName) {
    return switch (sqlName.trim().toUpperCase(Locale.ROOT)) {
      case "STRING" -> Primitive.STRING;
      case "BIGINT", "LONG" -> Primitive.LONG;
      case "INT", "INTEGER" -> Primitive.INT;
      case "DOUBLE" -> Primitive.DOUBLE;
      case "FLOAT" -> Primitive.FLOAT;
      case "BOOLEAN" -> Primitive.BOOLEAN;
      case "TIMESTAMP" -> Primitive.TIMESTAMP;
      case "DATE" -> Primitive.DATE;
      case "BINARY" -> Primitive.BINARY;
      default -> null;
    };
  }

  /** The conversion of non-null values of {@code from} to {@code to}; a compile error when CAST cannot do it. */
  static Eval.F1 conversion(ColumnType from, ColumnType to) {
    if (from == null || from.equals(to)) {
      return v -> v;
    }
    Eval.F1 f = from instanceof Primitive p && to instanceof Primitive q ? primitive(p, q) : null;
    if (f == null) {
      throw new CompileError("cannot CAST " + SqlTypes.name(from) + " AS " + SqlTypes.name(to));
    }
    return f;
  }

  private static Eval.F1 primitive(Primitive from, Primitive to) {
    return switch (to) {
      case STRING -> switch (from) {
        case TIMESTAMP -> v -> SqlValues.formatTimestamp((Long) v);
        case DATE -> v -> SqlValues.formatDate((Integer) v);
        case BINARY -> v -> new String((byte[]) v, StandardCharsets.UTF_8);
        default -> Object::toString;
      };
      case LONG -> switch (from) {
        case INT, FLOAT, DOUBLE -> v -> ((Number) v).longValue();
        case BOOLEAN -> v -> (Boolean) v ? 1L : 0L;
        case STRING -> v -> parseIntegral((String) v, Long.MIN_VALUE, Long.MAX_VALUE);
        case TIMESTAMP -> v -> Math.floorDiv((Long) v, MICROS_PER_SECOND);
        default -> null;
      };
      case INT -> switch (from) {
        case LONG, FLOAT, DOUBLE -> v -> ((Number) v).intValue();
        case BOOLEAN -> v -> (Boolean) v ? 1 : 0;
        case STRING -> v -> {
          Long l = parseIntegral((String) v, Integer.MIN_VALUE, Integer.MAX_VALUE);
          return l == null ? null : (Object) l.intValue();
        };
        case TIMESTAMP -> v -> (int) Math.floorDiv((Long) v, MICROS_PER_SECOND);
        default -> null;
      };
      case DOUBLE -> switch (from) {
        case INT, LONG, FLOAT -> v -> ((Number) v).doubleValue();
        case BOOLEAN -> v -> (Boolean) v ? 1.0 : 0.0;
        case STRING -> v -> parseDouble((String) v);
        case TIMESTAMP -> v -> (Long) v / (double) MICROS_PER_SECOND;
        default -> null;
      };
      case FLOAT -> switch (from) {
        case INT, LONG, DOUBLE -> v -> ((Number) v).floatValue();
        case BOOLEAN -> v -> (Boolean) v ? 1.0f : 0.0f;
        case STRING -> v -> {
          Double d = parseDouble((String) v);
          return d == null ? null : (Object) d.floatValue();
        };
        case TIMESTAMP -> v -> (float) ((Long) v / (double) MICROS_PER_SECOND);
        default -> null;
      };
      case BOOLEAN -> switch (from) {
        case INT, LONG -> v -> ((Number) v).longValue() != 0;
        case FLOAT, DOUBLE -> v -> ((Number) v).doubleValue() != 0;
        case STRING -> v -> parseBoolean((String) v);
        default -> null;
      };
      case TIMESTAMP -> switch (from) {
        case STRING -> v -> SqlValues.parseTimestamp((String) v);
        case DATE -> v -> (Integer) v * MICROS_PER_DAY;
        case INT, LONG -> v -> {
          long seconds = ((Number) v).longValue();
          long micros = seconds * MICROS_PER_SECOND;
          return micros / MICROS_PER_SECOND == seconds ? (Object) micros : null;
        };
        case FLOAT, DOUBLE -> v -> {
          double micros = ((Number) v).doubleValue() * MICROS_PER_SECOND;
          return Double.isFinite(micros) && Math.abs(micros) < 9.2e18 ? (Object) (long) micros : null;
        };
        default -> null;
      };
      case DATE -> switch (from) {
        case STRING -> v -> SqlValues.parseDate((String) v);
        case TIMESTAMP -> v -> SqlValues.toDate((Long) v);
        default -> null;
      };
      case BINARY -> from == Primitive.STRING ? v -> ((String) v).getBytes(StandardCharsets.UTF_8) : null;
    };
  }

  /** A whole number, or a decimal truncated towards zero (Spark: {@code CAST('1.9' AS INT)} is 1); null if out of range. */
  static Long parseIntegral(String text, long min, long max) {
    String t = text.trim();
    long value;
    try {
      value = Long.parseLong(t);
    } catch (NumberFormatException e) {
      try {
        BigDecimal d = new BigDecimal(t);
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
          return null;
        }
        value = d.longValue();
      } catch (NumberFormatException notANumber) {
        return null;
      }
    }
    return value < min || value > max ? null : value;
  }

  static Double parseDouble(String text) {
    String t = text.trim();
    if (t.isEmpty() || t.endsWith("d") || t.endsWith("D") || t.endsWith("f") || t.endsWith("F")) {
      return null;
    }
    try {
      return Double.parseDouble(t);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static Boolean parseBoolean(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "t", "true", "y", "yes", "1" -> Boolean.TRUE;
      case "f", "false", "n", "no", "0" -> Boolean.FALSE;
      default -> null;
    };
  }
}
