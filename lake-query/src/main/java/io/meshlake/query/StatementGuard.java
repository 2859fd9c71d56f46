package io.meshlake.query;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.NumericBind;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.select.TableFunction;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.select.WithItem;

/**
 * Decides whether a SQL text may run for a workspace, before anything touches DuckDB: exactly one
 * SELECT (WITH ... SELECT, UNION, VALUES), whose every data source is one of the lake's tables (by
 * its name, or qualified by the caller's own workspace) or a CTE; no table functions
 * ({@code read_parquet}, {@code glob}, {@code duckdb_settings}...), no functions that read files,
 * settings or the environment, no positional parameters or variables, no escape-string tricks.
 *
 * <p>This is the first of two locks: DuckDB itself has external access disabled and its
 * configuration locked before the query runs (see {@link LakeQuery}), and holds no rows but the
 * caller's, so a gap here still reaches nothing.
 */
final class StatementGuard {

  /** A statement that passed, and the lake tables (lower-case) it reads. */
  record Checked(Select select, Set<String> tables) {}

  private static final long PARSE_TIMEOUT_MILLIS = 5_000;
  private static final Set<String> FORBIDDEN_FUNCTIONS = Set.of(
      "getenv", "current_setting", "glob", "query", "query_table", "sniff_csv", "delta_scan", "iceberg_scan",
      "iceberg_metadata", "iceberg_snapshots", "which_secret", "checkpoint", "force_checkpoint", "load_extension");
  private static final List<String> FORBIDDEN_PREFIXES = List.of(
      "read_", "parquet_", "duckdb_", "pragma_", "sqlite_", "postgres_", "mysql_", "json_execute");

  /**
   * JSqlParser parses on an executor to enforce its timeout; its convenience overload makes one per
   * call and never shuts it down when parsing fails, leaking a thread per unparsable query. One
   * shared pool of daemon threads instead.
   */
  private static final ExecutorService PARSER_THREADS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "lake-query-sql-parser");
    t.setDaemon(true);
    return t;
  });

  private final int maxSqlChars;

  StatementGuard(int maxSqlChars) {
    this.maxSqlChars = maxSqlChars;
  }

  /**
   * @param lakeTables the table names of the root, keyed by lower-case name
   */
  Checked check(String sql, String workspace, Map<String, String> lakeTables) {
    Select select = parseOneSelect(sql);
    Set<String> ctes = new HashSet<>();
    SqlTree.each(select, WithItem.class, node -> {
      WithItem<?> with = (WithItem<?>) node.value();
      if (with.getAlias() != null) {
        ctes.add(lower(SqlIdentifiers.unquote(with.getAlias().getName())));
      }
    });
    SqlTree.each(select, PlainSelect.class, node -> {
      PlainSelect p = (PlainSelect) node.value();
      if (p.getIntoTables() != null && !p.getIntoTables().isEmpty()) {
        throw QueryException.rejected("SELECT ... INTO is not allowed: queries only read");
      }
    });
    Set<String> tables = new TreeSet<>();
    for (SqlTree.Node node : SqlTree.postOrder(select)) {
      Object value = node.value();
      if (value instanceof String s) {
        checkText(s);
      } else if (value instanceof TableFunction f) {
        throw QueryException.rejected("table functions such as " + functionName(f.getFunction())
            + "(...) are not allowed: a query reads the workspace's tables only");
      } else if (value instanceof Function f && !(node.parent() != null && node.parent().value() instanceof TableFunction)) {
        checkFunction(f);
      } else if (value instanceof Table t && isSource(node)) {
        String table = sourceTable(t, workspace, lakeTables, ctes);
        if (table != null) {
          tables.add(table);
        }
      } else if (value instanceof JdbcParameter || value instanceof NumericBind) {
        throw QueryException.rejected("positional parameters (" + value + ") are not supported; use named parameters such as :start");
      } else if (value instanceof UserVariable) {
        throw QueryException.rejected("variables (" + value + ") are not supported");
      } else if (value instanceof StringValue s && s.getPrefix() != null) {
        throw QueryException.rejected("string literals with a prefix (" + s.getPrefix() + "'...') are not supported; write '...'");
      }
    }
    return new Checked(select, tables);
  }

  private Select parseOneSelect(String sql) {
    if (sql == null || sql.isBlank()) {
      throw QueryException.rejected("the query is empty; send one SELECT statement");
    }
    if (sql.length() > maxSqlChars) {
      throw QueryException.rejected("the query is " + sql.length() + " characters long; at most " + maxSqlChars + " are accepted");
    }
    rejectSlashSlash(sql);
    Statements statements;
    try {
      statements = CCJSqlParserUtil.parseStatements(sql, PARSER_THREADS, parser -> parser.withTimeOut(PARSE_TIMEOUT_MILLIS));
    } catch (JSQLParserException | RuntimeException e) {
      throw QueryException.rejected("only a single SELECT (or WITH ... SELECT) statement is allowed, and this text could not be parsed as one: "
          + firstLine(e));
    }
    List<Statement> list = statements == null ? List.of() : new ArrayList<>(statements);
    list.removeIf(java.util.Objects::isNull);
    if (list.size() != 1) {
      throw QueryException.rejected("exactly one statement is allowed; found " + list.size() + " (separated by ';')");
    }
    Statement statement = list.get(0);
    if (!(statement instanceof PlainSelect || statement instanceof SetOperationList || statement instanceof ParenthesedSelect
        || statement instanceof Values)) {
      throw QueryException.rejected("only SELECT queries are allowed, not " + kind(statement));
    }
    return (Select) statement;
  }

  /**
   * The parser reads {@code //} as the start of a line comment and drops the rest of the line,
   * while DuckDB reads it as integer division: refuse it outside strings, names and comments rather
   * than run a silently shortened query.
   */
  private static void rejectSlashSlash(String sql) {
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      char next = i + 1 < sql.length() ? sql.charAt(i + 1) : 0;
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
      } else if (c == '-' && next == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? sql.length() : end;
      } else if (c == '/' && next == '*') {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? sql.length() : end + 1;
      } else if (c == '/' && next == '/') {
        throw QueryException.rejected("'//' is not supported (the SQL parser reads it as a comment); for integer division write"
            + " CAST(a / b AS BIGINT)");
      }
    }
  }

  /** A table in a FROM or JOIN, not the qualifier of a column ({@code t.col}) or of {@code t.*}. */
  private static boolean isSource(SqlTree.Node node) {
    SqlTree.Node parent = node.parent();
    return parent == null || !(parent.value() instanceof Column || parent.value() instanceof AllTableColumns);
  }

  /** The lake table a FROM item reads (lower-case), or null for a CTE; anything else is refused. */
  private static String sourceTable(Table table, String workspace, Map<String, String> lakeTables, Set<String> ctes) {
    List<String> parts = table.getNameParts(); // innermost first: name, schema, catalog
    if (parts.isEmpty() || parts.stream().anyMatch(p -> p == null || p.isEmpty())) {
      throw QueryException.rejected("table reference '" + table.getFullyQualifiedName() + "' is not supported");
    }
    String name = SqlIdentifiers.unquote(parts.get(0));
    if (parts.size() == 1 && ctes.contains(lower(name))) {
      return null;
    }
    if (parts.size() > 2) {
      throw QueryException.rejected("table '" + table.getFullyQualifiedName() + "' is not a table of this lake; write "
          + name + " or `" + workspace + "`." + name);
    }
    if (parts.size() == 2) {
      String qualifier = SqlIdentifiers.unquote(parts.get(1));
      if (!qualifier.equals(workspace)) {
        throw QueryException.rejected("table '" + table.getFullyQualifiedName() + "' is outside this query's workspace '"
            + workspace + "'; a query reads its own workspace only (write " + name + " or `" + workspace + "`." + name + ")");
      }
    }
    String key = lower(name);
    if (!lakeTables.containsKey(key)) {
      throw QueryException.rejected("unknown table '" + name + "'; tables are " + lakeTables.values());
    }
    return key;
  }

  private static void checkFunction(Function f) {
    List<String> parts = f.getMultipartName();
    if (parts != null && parts.size() > 1) {
      throw QueryException.rejected("qualified function names (" + f.getName() + ") are not supported");
    }
    String name = functionName(f);
    if (FORBIDDEN_FUNCTIONS.contains(name) || FORBIDDEN_PREFIXES.stream().anyMatch(name::startsWith)) {
      throw QueryException.rejected("function " + name + "() is not allowed: it reads files, settings or the environment");
    }
  }

  static String functionName(Function f) {
    return lower(SqlIdentifiers.unquote(f.getName()));
  }

  /**
   * A backslash before a quote is where parsers disagree on where a literal or name ends (standard
   * SQL and DuckDB: the quote ends it; MySQL/Spark: it is escaped). Refused wherever it appears.
   */
  private static void checkText(String s) {
    if (s.contains("\\'") || s.contains("\\\"") || s.contains("\\`")) {
      throw QueryException.rejected("a backslash before a quote is not supported (backslash escapes differ between SQL dialects);"
          + " write '' for a quote inside a string");
    }
  }

  private static String kind(Statement statement) {
    String name = statement.getClass().getSimpleName().replaceFirst("Statement$", "");
    return name.replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase(Locale.ROOT);
  }

  private static String firstLine(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() != null && cause.getMessage().startsWith("net.sf.jsqlparser")) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    message = message.replaceFirst("^net\\.sf\\.jsqlparser\\.[A-Za-z.]+: ", "");
    int newline = message.indexOf('\n');
    String line = newline < 0 ? message : message.substring(0, newline);
    return line.length() > 300 ? line.substring(0, 300) + "..." : line;
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
