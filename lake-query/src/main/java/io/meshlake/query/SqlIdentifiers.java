package io.meshlake.query;

import java.util.regex.Pattern;

/**
 * Names as the user wrote them ({@code issue_id}, {@code `Jira Issue`}, {@code "Jira Issue"}) and as
 * DuckDB gets them. A quoted name is re-quoted from its content, never passed through as typed, so
 * DuckDB sees exactly one identifier where the parser saw one.
 */
final class SqlIdentifiers {

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SqlIdentifiers() {}

  /** The name a written identifier stands for: quotes removed, doubled quotes undone. */
  static String unquote(String written) {
    if (written == null) {
      return null;
    }
    int n = written.length();
    if (n >= 2 && written.charAt(0) == '`' && written.charAt(n - 1) == '`') {
      return written.substring(1, n - 1);
    }
    if (n >= 2 && written.charAt(0) == '"' && written.charAt(n - 1) == '"') {
      return written.substring(1, n - 1).replace("\"\"", "\"");
    }
    if (n >= 2 && written.charAt(0) == '[' && written.charAt(n - 1) == ']') {
      return written.substring(1, n - 1);
    }
    return written;
  }

  static boolean isQuoted(String written) {
    int n = written.length();
    if (n < 2) {
      return false;
    }
    char first = written.charAt(0);
    char last = written.charAt(n - 1);
    return (first == '`' && last == '`') || (first == '"' && last == '"') || (first == '[' && last == ']');
  }

  /**
   * The identifier for DuckDB: a plain name stays as written (DuckDB folds case like Spark), a
   * quoted one is double-quoted from its content. Anything else is refused.
   */
  static String forDuckDb(String written, String what) {
    if (written == null || written.isEmpty()) {
      throw QueryException.rejected("empty " + what + " name");
    }
    if (PLAIN.matcher(written).matches()) {
      return written;
    }
    if (!isQuoted(written)) {
      throw QueryException.rejected(what + " name '" + written + "' is not a plain name; quote it with backticks");
    }
    String name = unquote(written);
    if (name.isEmpty()) {
      throw QueryException.rejected("empty " + what + " name");
    }
    return DuckTypes.identifier(name);
  }
}
