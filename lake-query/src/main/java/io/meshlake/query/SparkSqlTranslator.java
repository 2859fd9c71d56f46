package io.meshlake.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.arithmetic.Addition;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Rewrites a guarded statement (see {@link StatementGuard}) from the Spark flavour of the seed's
 * analytics queries into DuckDB SQL, on the parsed tree: backtick names become double-quoted ones,
 * the caller's workspace qualifier ({@code `ws`.`jira_issue`}) is dropped, Spark functions become
 * their DuckDB equivalents ({@code DATE_FORMAT} with a Java pattern → {@code strftime},
 * {@code TIMESTAMP(x)} → {@code CAST(x AS TIMESTAMPTZ)} ...), and named parameters ({@code :start})
 * become DuckDB's numbered ones, bound by the caller, never spliced into the text. The README lists
 * every rule.
 */
final class SparkSqlTranslator {

  /** The DuckDB SQL and the values of its {@code $1, $2 ...} parameters. */
  record Translated(String sql, List<Object> parameters) {}

  Translated translate(Select select, String workspace, Map<String, ?> params) {
    Parameters parameters = new Parameters(params == null ? Map.of() : params);
    for (SqlTree.Node node : SqlTree.postOrder(select)) {
      Object value = node.value();
      if (value instanceof JdbcNamedParameter p) {
        parameters.replace(node, p);
      } else if (value instanceof Column c) {
        column(c, workspace);
      } else if (value instanceof Table t && !(node.parent() != null && node.parent().value() instanceof Column)) {
        table(t, workspace);
      } else if (value instanceof Alias a) {
        a.setName(SqlIdentifiers.forDuckDb(a.getName(), "alias"));
      } else if (value instanceof Alias.AliasColumn c) {
        node.replaceWith(new Alias.AliasColumn(SqlIdentifiers.forDuckDb(c.name, "column alias"), c.colDataType));
      } else if (value instanceof Function f) {
        Expression translated = function(f);
        if (translated != f) {
          node.replaceWith(translated);
        }
      } else if (value instanceof LikeExpression like) {
        Expression translated = regexpLike(like);
        if (translated != like) {
          node.replaceWith(translated);
        }
      }
    }
    for (SqlTree.Node node : SqlTree.postOrder(select)) {
      if (node.value() instanceof String s && s.startsWith("`") && !(node.parent().value() instanceof StringValue)) {
        throw QueryException.rejected("backtick-quoted " + s + " is not supported here; backticks quote table, column and alias names");
      }
    }
    return new Translated(select.toString(), parameters.values());
  }

  private static void column(Column c, String workspace) {
    c.setColumnName(SqlIdentifiers.forDuckDb(c.getColumnName(), "column"));
    Table qualifier = c.getTable();
    if (qualifier == null || qualifier.getNameParts().isEmpty()) {
      return;
    }
    List<String> parts = qualifier.getNameParts(); // innermost first
    // `ws`.`jira_issue`.`issue_id`: the workspace qualifier goes with the table's.
    if (parts.size() >= 2 && workspace.equals(SqlIdentifiers.unquote(parts.get(parts.size() - 1)))) {
      parts.remove(parts.size() - 1);
      qualifier.getNamePartDelimiters().clear();
    }
    parts.replaceAll(p -> SqlIdentifiers.forDuckDb(p, "table"));
  }

  /** A FROM item the guard accepted: drop the caller's workspace qualifier, re-quote the name. */
  private static void table(Table t, String workspace) {
    List<String> parts = t.getNameParts();
    if (parts.size() == 2 && workspace.equals(SqlIdentifiers.unquote(parts.get(1)))) {
      parts.remove(1);
      t.getNamePartDelimiters().clear();
    }
    parts.replaceAll(p -> SqlIdentifiers.forDuckDb(p, "table"));
  }

  /** Spark functions whose DuckDB spelling or meaning differs; everything else passes unchanged. */
  private static Expression function(Function f) {
    String name = StatementGuard.functionName(f);
    List<Expression> args = arguments(f);
    return switch (name) {
      case "date_format" -> {
        arity(name, args, 2);
        yield call("strftime", args.get(0), new StringValue(javaPattern(name, args.get(1))));
      }
      case "timestamp" -> cast(one(name, args), "TIMESTAMPTZ");
      case "to_timestamp" -> args.size() == 2
          ? cast(call("strptime", args.get(0), new StringValue(javaPattern(name, args.get(1)))), "TIMESTAMPTZ")
          : cast(one(name, args), "TIMESTAMPTZ");
      case "date" -> cast(one(name, args), "DATE");
      case "to_date" -> args.size() == 2
          ? cast(call("strptime", args.get(0), new StringValue(javaPattern(name, args.get(1)))), "DATE")
          : cast(one(name, args), "DATE");
      case "nvl" -> {
        arity(name, args, 2);
        yield call("coalesce", args.get(0), args.get(1));
      }
      // Spark: datediff(end, start) in days. DuckDB's own datediff takes (part, start, end): left alone.
      case "datediff" -> args.size() == 2
          ? call("date_diff", new StringValue("day"), cast(args.get(1), "DATE"), cast(args.get(0), "DATE"))
          : f;
      case "date_add" -> args.size() == 2
          ? new ParenthesedExpressionList<>(new Addition().withLeftExpression(cast(args.get(0), "DATE")).withRightExpression(args.get(1)))
          : f;
      case "date_sub" -> args.size() == 2
          ? new ParenthesedExpressionList<>(new Subtraction().withLeftExpression(cast(args.get(0), "DATE")).withRightExpression(args.get(1)))
          : f;
      case "size" -> call("len", one(name, args));
      case "unix_timestamp" -> cast(call("epoch", one(name, args)), "BIGINT");
      default -> {
        // A backtick-quoted function name is still a function name.
        if (SqlIdentifiers.isQuoted(f.getName())) {
          f.setName(name);
        }
        yield f;
      }
    };
  }

  /** {@code a RLIKE 'p'} / {@code a REGEXP 'p'} (Spark) → {@code regexp_matches(a, 'p')}. */
  private static Expression regexpLike(LikeExpression like) {
    LikeExpression.KeyWord keyWord = like.getLikeKeyWord();
    if (keyWord != LikeExpression.KeyWord.RLIKE && keyWord != LikeExpression.KeyWord.REGEXP) {
      return like;
    }
    Expression matches = call("regexp_matches", like.getLeftExpression(), like.getRightExpression());
    return like.isNot() ? new NotExpression(matches) : matches;
  }

  private static List<Expression> arguments(Function f) {
    if (f.getParameters() == null) {
      return List.of();
    }
    List<Expression> args = new ArrayList<>();
    for (Object o : f.getParameters()) {
      args.add((Expression) o);
    }
    return args;
  }

  private static Expression one(String name, List<Expression> args) {
    arity(name, args, 1);
    return args.get(0);
  }

  private static void arity(String name, List<Expression> args, int expected) {
    if (args.size() != expected) {
      throw QueryException.rejected(name.toUpperCase(Locale.ROOT) + " takes " + expected + " argument" + (expected == 1 ? "" : "s")
          + ", got " + args.size());
    }
  }

  private static String javaPattern(String function, Expression pattern) {
    if (!(pattern instanceof StringValue s)) {
      throw QueryException.rejected(function.toUpperCase(Locale.ROOT) + "'s pattern must be a string literal such as 'yyyy-MM'");
    }
    // The literal's text is as written (a quote doubled); the pattern is its content.
    String strftime = JavaDatePattern.toStrftime(s.getValue().replace("''", "'"));
    return strftime.replace("'", "''");
  }

  private static Function call(String name, Expression... args) {
    return new Function(name, args);
  }

  /** CAST(e AS type), never e::type, which would bind tighter than an operator inside e. */
  private static CastExpression cast(Expression e, String type) {
    return new CastExpression("CAST", e, type);
  }

  /** Named parameters in the order they first appear; a list value fills an IN (...) list. */
  private static final class Parameters {
    private final Map<String, ?> given;
    private final Map<String, List<JdbcNamedParameter>> numbered = new LinkedHashMap<>();
    private final List<Object> values = new ArrayList<>();

    Parameters(Map<String, ?> given) {
      this.given = given;
    }

    void replace(SqlTree.Node node, JdbcNamedParameter p) {
      if (!":".equals(p.getParameterCharacter())) {
        throw QueryException.rejected("parameter " + p + " is not supported; write named parameters as :name");
      }
      String name = p.getName();
      if (!given.containsKey(name)) {
        throw QueryException.rejected("parameter :" + name + " has no value (HTTP: \"params\": {\"" + name + "\": ...}, CLI: --param " + name + "=...)");
      }
      Object value = given.get(name);
      List<JdbcNamedParameter> bound = numbered.computeIfAbsent(name, n -> number(n, value));
      if (value instanceof List<?>) {
        // JSqlParser nests `a IN (:x) AND b ...` as a IN ((:x) AND b ...), so the parentheses are
        // what can be checked: the list must stand alone in them, as in IN (:x).
        SqlTree.Node list = node.parent();
        if (list == null || !(list.value() instanceof ParenthesedExpressionList<?> items) || items.size() != 1) {
          throw QueryException.rejected("list parameter :" + name + " can only be used as IN (:" + name + ")");
        }
      }
      node.replaceWith(bound.stream().map(b -> new JdbcNamedParameter(b.getName()).setParameterCharacter("$")).toArray());
    }

    private List<JdbcNamedParameter> number(String name, Object value) {
      List<Object> items = new ArrayList<>();
      if (value instanceof List<?> list) {
        if (list.isEmpty()) {
          throw QueryException.rejected("list parameter :" + name + " is empty; IN () would match nothing, leave the condition out instead");
        }
        items.addAll(list);
      } else {
        items.add(value);
      }
      List<JdbcNamedParameter> out = new ArrayList<>();
      for (Object item : items) {
        values.add(scalar(name, item));
        out.add(new JdbcNamedParameter(Integer.toString(values.size())).setParameterCharacter("$"));
      }
      return out;
    }

    private static Object scalar(String name, Object value) {
      if (value == null || value instanceof String || value instanceof Boolean || value instanceof Integer || value instanceof Long
          || value instanceof Short || value instanceof Double || value instanceof Float || value instanceof BigDecimal
          || value instanceof BigInteger || value instanceof java.time.LocalDate || value instanceof java.time.LocalDateTime
          || value instanceof java.time.OffsetDateTime) {
        return value;
      }
      throw QueryException.rejected("parameter :" + name + " must be a string, number, boolean, null or a list of those; got "
          + value.getClass().getSimpleName());
    }

    List<Object> values() {
      return java.util.Collections.unmodifiableList(new ArrayList<>(values)); // may hold nulls
    }
  }
}
