package io.meshlake.sink.model;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runtime operations on row values (see {@link ColumnType} for their Java representation). */
final class SqlValues {

  static final long MICROS_PER_SECOND = 1_000_000L;
  static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;

  private SqlValues() {}

  /** How two values of comparable types are compared. */
  enum Kind {
    /** INT, BIGINT, DATE, TIMESTAMP: as longs. */
    LONG,
    /** FLOAT or DOUBLE on either side: as doubles, NaN equal to itself and above everything, -0.0 = 0.0. */
    DOUBLE,
    /** By Unicode code point (the order of the UTF-8 bytes, as Spark and Parquet statistics use). */
    STRING,
    BOOLEAN,
    /** Unsigned lexicographic bytes. */
    BINARY
  }

  /** The comparison of two types, which must already be comparable (see {@link SqlTypes#comparable}). */
  static Kind kind(ColumnType a, ColumnType b, String context) {
    ColumnType t = a == null ? b : a;
    ColumnType u = b == null ? a : b;
    if (t == null) {
      return Kind.LONG; // NULL compared with NULL: never evaluated past the NULL check
    }
    if (SqlTypes.isNumeric(t) && SqlTypes.isNumeric(u)) {
      return SqlTypes.isIntegral(t) && SqlTypes.isIntegral(u) ? Kind.LONG : Kind.DOUBLE;
    }
    if (t.equals(u) && t instanceof Primitive p) {
      return switch (p) {
        case STRING -> Kind.STRING;
        case BOOLEAN -> Kind.BOOLEAN;
        case BINARY -> Kind.BINARY;
        case DATE, TIMESTAMP, INT, LONG -> Kind.LONG;
        case FLOAT, DOUBLE -> Kind.DOUBLE;
      };
    }
    throw new CompileError("cannot compare " + SqlTypes.name(a) + " with " + SqlTypes.name(b) + " in " + context
        + (t instanceof Primitive && u instanceof Primitive ? "; use CAST" : ""));
  }

  /** Compares two non-null values of the kind's types. */
  static int compare(Kind kind, Object a, Object b) {
    return switch (kind) {
      case LONG -> Long.compare(((Number) a).longValue(), ((Number) b).longValue());
      case DOUBLE -> compareDoubles(((Number) a).doubleValue(), ((Number) b).doubleValue());
      case STRING -> compareStrings((String) a, (String) b);
      case BOOLEAN -> Boolean.compare((Boolean) a, (Boolean) b);
      case BINARY -> Arrays.compareUnsigned((byte[]) a, (byte[]) b);
    };
  }

  static boolean equal(Kind kind, Object a, Object b) {
    return switch (kind) {
      case STRING -> a.equals(b);
      case BINARY -> Arrays.equals((byte[]) a, (byte[]) b);
      default -> compare(kind, a, b) == 0;
    };
  }

  static int compareDoubles(double x, double y) {
    return x == y ? 0 : Double.compare(x, y);
  }

  /** Code point order: UTF-16 order except that surrogates (supplementary characters) sort after all BMP characters. */
  static int compareStrings(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean xs = Character.isSurrogate(x);
        boolean ys = Character.isSurrogate(y);
        if (xs == ys) {
          return x - y;
        }
        return xs ? 1 : -1;
      }
    }
    return a.length() - b.length();
  }

  // ---- strings ------------------------------------------------------------------------------

  static int length(String s) {
    return s.codePointCount(0, s.length());
  }

  /** Spark's {@code substring(s, pos, len)}: 1-based, 0 counts as 1, a negative position counts from the end. */
  static String substring(String s, long pos, long len) {
    int n = length(s);
    long start = pos > 0 ? pos - 1 : pos < 0 ? n + pos : 0;
    long end = start + len;
    start = Math.max(start, 0);
    end = Math.min(end, n);
    if (start >= end) {
      return "";
    }
    int from = s.offsetByCodePoints(0, (int) start);
    int to = s.offsetByCodePoints(from, (int) (end - start));
    return s.substring(from, to);
  }

  /** Removes leading and/or trailing characters of {@code chars} (Spark's TRIM removes spaces only, not other whitespace). */
  static String trim(String s, String chars, boolean leading, boolean trailing) {
    int from = 0;
    int to = s.length();
    if (leading) {
      while (from < to && chars.indexOf(s.charAt(from)) >= 0) {
        from++;
      }
    }
    if (trailing) {
      while (to > from && chars.indexOf(s.charAt(to - 1)) >= 0) {
        to--;
      }
    }
    return from == 0 && to == s.length() ? s : s.substring(from, to);
  }

  /** Spark's REPLACE: an empty search string leaves the input unchanged. */
  static String replace(String s, String search, String replacement) {
    return search.isEmpty() ? s : s.replace(search, replacement);
  }

  /** Spark's SPLIT: a regex; limit > 0 caps the number of parts, otherwise all parts (trailing empty ones included). */
  static java.util.List<Object> split(String s, Pattern pattern, int limit) {
    if (pattern.pattern().isEmpty() && !s.isEmpty()) {
      int n = length(s);
      int parts = limit > 0 && limit < n ? limit : n;
      Object[] out = new Object[parts];
      int offset = 0;
      for (int i = 0; i < parts - 1; i++) {
        int next = s.offsetByCodePoints(offset, 1);
        out[i] = s.substring(offset, next);
        offset = next;
      }
      out[parts - 1] = s.substring(offset);
      return Arrays.asList(out);
    }
    return Arrays.asList((Object[]) pattern.split(s, limit > 0 ? limit : -1));
  }

  // ---- LIKE ---------------------------------------------------------------------------------

  /** A compiled LIKE pattern; the common shapes ({@code 'x%'}, {@code '%x'}, {@code '%x%'}, {@code 'x'}) avoid regexes. */
  abstract static class StringMatcher {
    abstract boolean matches(String s);
  }

  static StringMatcher like(String pattern, char escape, boolean caseInsensitive) {
    String p = caseInsensitive ? pattern.toLowerCase(java.util.Locale.ROOT) : pattern;
    boolean simple = p.indexOf('_') < 0 && p.indexOf(escape) < 0;
    if (simple && !caseInsensitive) {
      String core = p;
      boolean anyPrefix = core.startsWith("%");
      if (anyPrefix) {
        core = core.substring(1);
      }
      boolean anySuffix = core.endsWith("%");
      if (anySuffix) {
        core = core.substring(0, core.length() - 1);
      }
      if (core.indexOf('%') < 0) {
        String literal = core;
        if (anyPrefix && anySuffix) {
          return new StringMatcher() {
            @Override
            boolean matches(String s) {
              return s.contains(literal);
            }
          };
        } else if (anyPrefix) {
          return new StringMatcher() {
            @Override
            boolean matches(String s) {
              return s.endsWith(literal);
            }
          };
        } else if (anySuffix) {
          return new StringMatcher() {
            @Override
            boolean matches(String s) {
              return s.startsWith(literal);
            }
          };
        } else {
          return new StringMatcher() {
            @Override
            boolean matches(String s) {
              return s.equals(literal);
            }
          };
        }
      }
    }
    Pattern regex = Pattern.compile(likeToRegex(p, escape), Pattern.DOTALL);
    return new StringMatcher() {
      @Override
      boolean matches(String s) {
        Matcher m = regex.matcher(caseInsensitive ? s.toLowerCase(java.util.Locale.ROOT) : s);
        return m.matches();
      }
    };
  }

  static String likeToRegex(String pattern, char escape) {
    StringBuilder regex = new StringBuilder(pattern.length() + 8);
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == escape && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '%') {
        regex.append(".*");
      } else if (c == '_') {
        regex.append('.');
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return regex.toString();
  }

  static StringMatcher regexFind(String regex) {
    Pattern p = Pattern.compile(regex);
    return new StringMatcher() {
      @Override
      boolean matches(String s) {
        return p.matcher(s).find();
      }
    };
  }

  // ---- dates and timestamps (UTC) -----------------------------------------------------------

  static int toDate(long micros) {
    return (int) Math.floorDiv(micros, MICROS_PER_DAY);
  }

  static LocalDate localDate(long micros) {
    return LocalDate.ofEpochDay(Math.floorDiv(micros, MICROS_PER_DAY));
  }

  /** Spark's {@code date_trunc(unit, ts)} in UTC; null for an unknown unit. */
  static Long truncate(String unit, long micros) {
    return switch (unit.toUpperCase(java.util.Locale.ROOT)) {
      case "MICROSECOND" -> micros;
      case "MILLISECOND" -> Math.floorDiv(micros, 1_000L) * 1_000L;
      case "SECOND" -> Math.floorDiv(micros, MICROS_PER_SECOND) * MICROS_PER_SECOND;
      case "MINUTE" -> Math.floorDiv(micros, 60 * MICROS_PER_SECOND) * 60 * MICROS_PER_SECOND;
      case "HOUR" -> Math.floorDiv(micros, 3_600 * MICROS_PER_SECOND) * 3_600 * MICROS_PER_SECOND;
      case "DAY", "DD" -> Math.floorDiv(micros, MICROS_PER_DAY) * MICROS_PER_DAY;
      case "WEEK" -> {
        LocalDate d = localDate(micros);
        yield d.minusDays(d.getDayOfWeek().getValue() - 1L).toEpochDay() * MICROS_PER_DAY;
      }
      case "MONTH", "MM", "MON" -> localDate(micros).withDayOfMonth(1).toEpochDay() * MICROS_PER_DAY;
      case "QUARTER" -> {
        LocalDate d = localDate(micros);
        yield LocalDate.of(d.getYear(), (d.getMonthValue() - 1) / 3 * 3 + 1, 1).toEpochDay() * MICROS_PER_DAY;
      }
      case "YEAR", "YYYY", "YY" -> localDate(micros).withDayOfYear(1).toEpochDay() * MICROS_PER_DAY;
      default -> null;
    };
  }

  static boolean isTruncationUnit(String unit) {
    return truncate(unit, 0L) != null;
  }

  private static final Pattern TIMESTAMP_TEXT = Pattern.compile(
      "(\\d{4})(?:-(\\d{1,2})(?:-(\\d{1,2}))?)?"
          + "(?:[ T](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,9}))?)?\\s*(Z|UTC|[+-]\\d{1,2}(?::?\\d{2})?)?)?");

  /**
   * Parses {@code yyyy[-m[m][-d[d]]][( |T)h[h]:m[m][:s[s][.fraction]][zone]]}, zone {@code Z}, {@code UTC} or an offset;
   * without a zone the time is UTC. Null when the text is not such a timestamp.
   */
  static Long parseTimestamp(String text) {
    Matcher m = TIMESTAMP_TEXT.matcher(text.trim());
    if (!m.matches()) {
      return null;
    }
    try {
      LocalDate date = LocalDate.of(Integer.parseInt(m.group(1)),
          m.group(2) == null ? 1 : Integer.parseInt(m.group(2)),
          m.group(3) == null ? 1 : Integer.parseInt(m.group(3)));
      long micros = Math.multiplyExact(date.toEpochDay(), MICROS_PER_DAY);
      if (m.group(4) != null) {
        int hour = Integer.parseInt(m.group(4));
        int minute = Integer.parseInt(m.group(5));
        int second = m.group(6) == null ? 0 : Integer.parseInt(m.group(6));
        if (hour > 23 || minute > 59 || second > 59) {
          return null;
        }
        micros += (hour * 3600L + minute * 60L + second) * MICROS_PER_SECOND;
        if (m.group(7) != null) {
          String fraction = (m.group(7) + "00000").substring(0, 6);
          micros += Integer.parseInt(fraction);
        }
        String zone = m.group(8);
        if (zone != null && !zone.equals("Z") && !zone.equals("UTC")) {
          int sign = zone.charAt(0) == '-' ? -1 : 1;
          String digits = zone.substring(1).replace(":", "");
          int hours = Integer.parseInt(digits.length() <= 2 ? digits : digits.substring(0, digits.length() - 2));
          int minutes = digits.length() <= 2 ? 0 : Integer.parseInt(digits.substring(digits.length() - 2));
          if (hours > 18 || minutes > 59) {
            return null;
          }
          micros -= sign * (hours * 3600L + minutes * 60L) * MICROS_PER_SECOND;
        }
      }
      return micros;
    } catch (java.time.DateTimeException | ArithmeticException e) {
      return null;
    }
  }

  /** The date part of a date or timestamp text ({@link #parseTimestamp} syntax, time and zone ignored). */
  static Integer parseDate(String text) {
    String t = text.trim();
    int cut = indexOfAny(t, ' ', 'T');
    Long micros = parseTimestamp(cut < 0 ? t : t.substring(0, cut));
    return micros == null ? null : toDate(micros);
  }

  private static int indexOfAny(String s, char a, char b) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == a || s.charAt(i) == b) {
        return i;
      }
    }
    return -1;
  }

  /** Spark's text form: {@code yyyy-MM-dd HH:mm:ss[.ffffff]}, trailing zeros of the fraction dropped. */
  static String formatTimestamp(long micros) {
    long seconds = Math.floorDiv(micros, MICROS_PER_SECOND);
    int fraction = (int) Math.floorMod(micros, MICROS_PER_SECOND);
    java.time.LocalDateTime t = java.time.LocalDateTime.ofEpochSecond(seconds, 0, java.time.ZoneOffset.UTC);
    StringBuilder sb = new StringBuilder(26);
    sb.append(t.toLocalDate()).append(' ');
    pad2(sb, t.getHour()).append(':');
    pad2(sb, t.getMinute()).append(':');
    pad2(sb, t.getSecond());
    if (fraction != 0) {
      String digits = Integer.toString(1_000_000 + fraction).substring(1);
      int end = digits.length();
      while (digits.charAt(end - 1) == '0') {
        end--;
      }
      sb.append('.').append(digits, 0, end);
    }
    return sb.toString();
  }

  private static StringBuilder pad2(StringBuilder sb, int v) {
    if (v < 10) {
      sb.append('0');
    }
    return sb.append(v);
  }

  static String formatDate(int days) {
    return LocalDate.ofEpochDay(days).toString();
  }
}
