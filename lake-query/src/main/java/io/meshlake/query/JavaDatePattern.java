package io.meshlake.query;

/**
 * Translates a Spark / Java datetime pattern ({@code yyyy-MM-dd HH:mm:ss}) into a DuckDB strftime
 * format ({@code %Y-%m-%d %H:%M:%S}). Letters without a faithful DuckDB equivalent are refused by
 * name rather than translated approximately.
 */
final class JavaDatePattern {

  private JavaDatePattern() {}

  static String toStrftime(String pattern) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        i = quoted(pattern, i, out);
        continue;
      }
      if (!isAsciiLetter(c)) {
        out.append(c == '%' ? "%%" : String.valueOf(c));
        i++;
        continue;
      }
      int n = 1;
      while (i + n < pattern.length() && pattern.charAt(i + n) == c) {
        n++;
      }
      out.append(field(pattern, c, n));
      i += n;
    }
    return out.toString();
  }

  private static String field(String pattern, char letter, int count) {
    String f = switch (letter) {
      case 'y', 'u' -> count == 2 ? "%y" : "%Y";
      case 'M', 'L' -> switch (count) {
        case 1 -> "%-m";
        case 2 -> "%m";
        case 3 -> "%b";
        default -> "%B";
      };
      case 'd' -> count == 1 ? "%-d" : count == 2 ? "%d" : null;
      case 'D' -> count == 3 ? "%j" : count <= 2 ? "%-j" : null;
      case 'H' -> count == 1 ? "%-H" : count == 2 ? "%H" : null;
      case 'h' -> count == 1 ? "%-I" : count == 2 ? "%I" : null;
      case 'm' -> count == 1 ? "%-M" : count == 2 ? "%M" : null;
      case 's' -> count == 1 ? "%-S" : count == 2 ? "%S" : null;
      case 'S' -> count == 3 ? "%g" : count == 6 ? "%f" : count == 9 ? "%n" : null;
      case 'a' -> count == 1 ? "%p" : null;
      case 'E' -> count <= 3 ? "%a" : count == 4 ? "%A" : null;
      case 'z' -> count <= 3 ? "%Z" : null;
      default -> null;
    };
    if (f == null) {
      throw QueryException.rejected("date pattern '" + pattern + "': '" + String.valueOf(letter).repeat(count)
          + "' is not supported; use y, M, d, D, H, h, m, s, S (3, 6 or 9), a, E or z");
    }
    return f;
  }

  /** Copies a quoted literal ('T', or '' for a quote) and returns the index after it. */
  private static int quoted(String pattern, int start, StringBuilder out) {
    if (start + 1 < pattern.length() && pattern.charAt(start + 1) == '\'') {
      out.append('\'');
      return start + 2;
    }
    int i = start + 1;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (c == '\'') {
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '\'') {
          out.append('\'');
          i += 2;
          continue;
        }
        return i + 1;
      }
      out.append(c == '%' ? "%%" : String.valueOf(c));
      i++;
    }
    throw QueryException.rejected("date pattern '" + pattern + "' has an unterminated quote");
  }

  private static boolean isAsciiLetter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
}
