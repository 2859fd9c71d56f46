package io.meshlake.sink.model;

import io.meshlake.sink.model.SqlValues.Kind;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The functions a model may call, type-checked and bound to evaluators at compile time. */
final class Functions {

  private Functions() {}

  static final Set<String> NAMES = new TreeSet<>(List.of(
      "ABS", "ARRAY_CONTAINS", "CARDINALITY", "CEIL", "CEILING", "COALESCE", "CONCAT", "CONCAT_WS", "DATE_TRUNC",
      "DAY", "DAYOFMONTH", "ELEMENT_AT", "FLOOR", "GREATEST", "IF", "LEAST", "LENGTH", "LOWER", "LTRIM", "MONTH",
      "NULLIF", "REPLACE", "ROUND", "RTRIM", "SIZE", "SPLIT", "SUBSTR", "SUBSTRING", "TO_DATE", "TRIM", "UPPER",
      "YEAR"));

  static final Set<String> AGGREGATES = Set.of(
      "COUNT", "SUM", "AVG", "MIN", "MAX", "COLLECT_LIST", "COLLECT_SET", "FIRST", "FIRST_VALUE", "LAST",
      "LAST_VALUE", "ANY_VALUE", "ARRAY_AGG", "STRING_AGG", "GROUP_CONCAT", "LISTAGG", "STDDEV", "STDDEV_POP",
      "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "APPROX_COUNT_DISTINCT", "COUNT_IF", "BOOL_AND", "BOOL_OR",
      "EVERY", "PERCENTILE", "PERCENTILE_APPROX", "MEDIAN", "MODE", "CORR", "COVAR_POP", "COVAR_SAMP", "MAX_BY",
      "MIN_BY");

  static final Set<String> WINDOW_FUNCTIONS = Set.of(
      "ROW_NUMBER", "RANK", "DENSE_RANK", "PERCENT_RANK", "CUME_DIST", "NTILE", "LAG", "LEAD", "NTH_VALUE");

  static final Set<String> NON_DETERMINISTIC = Set.of(
      "NOW", "CURRENT_TIMESTAMP", "CURRENT_DATE", "LOCALTIMESTAMP", "CURDATE", "RAND", "RANDOM", "RANDN", "UUID",
      "SHUFFLE", "MONOTONICALLY_INCREASING_ID", "SPARK_PARTITION_ID", "INPUT_FILE_NAME", "CURRENT_USER",
      "UNIX_TIMESTAMP", "CURRENT_TIMEZONE");

  static final Set<String> GENERATORS = Set.of(
      "EXPLODE", "POSEXPLODE", "EXPLODE_OUTER", "POSEXPLODE_OUTER", "INLINE", "INLINE_OUTER", "STACK", "JSON_TUPLE");

  /** Binds a call of {@code name} (upper case) to its arguments. */
  static Typed call(String name, List<Typed> args, String text) {
    return switch (name) {
      case "COALESCE" -> coalesce(args, text);
      case "NULLIF" -> nullIf(args, text);
      case "IF" -> ifFunction(args, text);
      case "LOWER" -> stringToString(args, text, s -> s.toLowerCase(Locale.ROOT));
      case "UPPER" -> stringToString(args, text, s -> s.toUpperCase(Locale.ROOT));
      case "TRIM" -> stringToString(args, text, s -> SqlValues.trim(s, " ", true, true));
      case "LTRIM" -> stringToString(args, text, s -> SqlValues.trim(s, " ", true, false));
      case "RTRIM" -> stringToString(args, text, s -> SqlValues.trim(s, " ", false, true));
      case "LENGTH" -> length(args, text);
      case "SUBSTRING", "SUBSTR" -> substring(args, text);
      case "REPLACE" -> replace(args, text);
      case "CONCAT" -> concat(args, text);
      case "CONCAT_WS" -> concatWs(args, text);
      case "SPLIT" -> split(args, text);
      case "SIZE", "CARDINALITY" -> size(args, text);
      case "ARRAY_CONTAINS" -> arrayContains(args, text);
      case "ELEMENT_AT" -> elementAt(args, text);
      case "ABS" -> abs(args, text);
      case "ROUND" -> round(args, text);
      case "FLOOR" -> floorCeil(args, text, true);
      case "CEIL", "CEILING" -> floorCeil(args, text, false);
      case "GREATEST" -> extreme(args, text, true);
      case "LEAST" -> extreme(args, text, false);
      case "DATE_TRUNC" -> dateTrunc(args, text);
      case "TO_DATE" -> toDate(args, text);
      case "YEAR" -> datePart(args, text, LocalDate::getYear);
      case "MONTH" -> datePart(args, text, LocalDate::getMonthValue);
      case "DAY", "DAYOFMONTH" -> datePart(args, text, LocalDate::getDayOfMonth);
      default -> throw new CompileError("unknown function " + name + " in " + text + "; models may call " + String.join(", ", NAMES));
    };
  }

  // ---- argument checks ------------------------------------------------------------------------

  static void arity(List<Typed> args, String text, int min, int max) {
    if (args.size() < min || args.size() > max) {
      String expected = min == max ? String.valueOf(min) : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
      throw new CompileError(text + ": takes " + expected + " argument" + (min == 1 && max == 1 ? "" : "s") + ", got " + args.size());
    }
  }

  /** Requires argument {@code i} (0-based) to be of {@code type}; a NULL literal is accepted as that type. */
  static Typed require(List<Typed> args, int i, ColumnType type, String text) {
    Typed a = args.get(i);
    if (a.type() == null) {
      return SqlTypes.coerce(a, type);
    }
    if (!a.type().equals(type)) {
      throw new CompileError(text + ": argument " + (i + 1) + " must be " + type.sqlName() + ", got " + a.type().sqlName()
          + (type == Primitive.STRING && a.type() instanceof Primitive ? " (use CAST(... AS STRING))" : ""));
    }
    return a;
  }

  static Typed requireIntegral(List<Typed> args, int i, String text) {
    Typed a = args.get(i);
    if (a.type() == null) {
      return SqlTypes.coerce(a, Primitive.INT);
    }
    if (!SqlTypes.isIntegral(a.type())) {
      throw new CompileError(text + ": argument " + (i + 1) + " must be INT or BIGINT, got " + a.type().sqlName());
    }
    return a;
  }

  static Typed requireNumeric(List<Typed> args, int i, String text) {
    Typed a = args.get(i);
    if (a.type() != null && !SqlTypes.isNumeric(a.type())) {
      throw new CompileError(text + ": argument " + (i + 1) + " must be a number, got " + a.type().sqlName());
    }
    return a;
  }

  static Typed requireTemporal(List<Typed> args, int i, String text) {
    Typed a = args.get(i);
    if (a.type() == null) {
      return SqlTypes.coerce(a, Primitive.TIMESTAMP);
    }
    if (!SqlTypes.isTemporal(a.type())) {
      throw new CompileError(text + ": argument " + (i + 1) + " must be TIMESTAMP or DATE, got " + a.type().sqlName());
    }
    return a;
  }

  static Typed requireArray(List<Typed> args, int i, String text) {
    Typed a = args.get(i);
    if (a.type() != null && !(a.type() instanceof ColumnType.Array)) {
      throw new CompileError(text + ": argument " + (i + 1) + " must be an ARRAY, got " + a.type().sqlName());
    }
    return a;
  }

  /** A primitive value as STRING, as CAST would write it (CONCAT and || accept any primitive). */
  static Typed asString(Typed a, String text) {
    if (a.type() != null && !(a.type() instanceof Primitive)) {
      throw new CompileError(text + ": cannot concatenate " + a.type().sqlName() + " (only STRING and other primitive values)");
    }
    return SqlTypes.coerce(a, Primitive.STRING);
  }

  @FunctionalInterface
  interface StringFunction {
    Object apply(String s);
  }

  /** A function of one varying string; cached per input when the input is short (see {@link Eval.MemoizedString}). */
  static Typed unaryString(Typed in, ColumnType result, StringFunction f) {
    Eval.F1 call = v -> f.apply((String) v);
    if (in.constant()) {
      return Typed.of(new Eval.Call1(in.eval(), call), result, in);
    }
    return Typed.of(result == Primitive.STRING ? new Eval.MemoizedString(in.eval(), call) : new Eval.Call1(in.eval(), call), result, in);
  }

  // ---- conditional ----------------------------------------------------------------------------

  private static Typed coalesce(List<Typed> args, String text) {
    arity(args, text, 1, Integer.MAX_VALUE);
    ColumnType type = null;
    for (Typed a : args) {
      type = SqlTypes.common(type, a.type(), text);
    }
    Eval[] evals = new Eval[args.size()];
    for (int i = 0; i < evals.length; i++) {
      evals[i] = SqlTypes.coerce(args.get(i), type).eval();
    }
    return Typed.of(new Operators.Coalesce(evals), type, args);
  }

  private static Typed nullIf(List<Typed> args, String text) {
    arity(args, text, 2, 2);
    Typed[] p = SqlTypes.comparable(args.get(0), args.get(1), text);
    Kind kind = SqlValues.kind(p[0].type(), p[1].type(), text);
    return Typed.of(new Operators.NullIf(p[0].eval(), p[1].eval(), kind), p[0].type() == null ? p[1].type() : args.get(0).type(), args);
  }

  private static Typed ifFunction(List<Typed> args, String text) {
    arity(args, text, 3, 3);
    Typed condition = require(args, 0, Primitive.BOOLEAN, text);
    ColumnType type = SqlTypes.common(args.get(1).type(), args.get(2).type(), text);
    return Typed.of(new Operators.If(condition.eval(), SqlTypes.coerce(args.get(1), type).eval(),
        SqlTypes.coerce(args.get(2), type).eval()), type, args);
  }

  private static Typed extreme(List<Typed> args, String text, boolean greatest) {
    arity(args, text, 2, Integer.MAX_VALUE);
    ColumnType type = null;
    for (Typed a : args) {
      type = SqlTypes.common(type, a.type(), text);
    }
    Kind kind = SqlValues.kind(type, type, text);
    if (type != null && !(type instanceof Primitive)) {
      throw new CompileError(text + ": cannot order values of type " + type.sqlName());
    }
    Eval[] evals = new Eval[args.size()];
    for (int i = 0; i < evals.length; i++) {
      evals[i] = SqlTypes.coerce(args.get(i), type).eval();
    }
    return Typed.of(new Operators.Extreme(evals, kind, greatest), type, args);
  }

  // ---- strings --------------------------------------------------------------------------------

  private static Typed stringToString(List<Typed> args, String text, StringFunction f) {
    arity(args, text, 1, 1);
    return unaryString(require(args, 0, Primitive.STRING, text), Primitive.STRING, f);
  }

  private static Typed length(List<Typed> args, String text) {
    arity(args, text, 1, 1);
    Typed a = args.get(0);
    if (a.type() == Primitive.BINARY) {
      return Typed.of(new Eval.Call1(a.eval(), v -> ((byte[]) v).length), Primitive.INT, a);
    }
    Typed s = require(args, 0, Primitive.STRING, text);
    return Typed.of(new Eval.Call1(s.eval(), v -> SqlValues.length((String) v)), Primitive.INT, s);
  }

  private static Typed substring(List<Typed> args, String text) {
    if (args.isEmpty() && text.toUpperCase(Locale.ROOT).contains(" FROM ")) {
      throw new CompileError(text + ": write SUBSTRING(s, pos[, len]) (1-based)");
    }
    arity(args, text, 2, 3);
    Typed s = require(args, 0, Primitive.STRING, text);
    Typed pos = requireIntegral(args, 1, text);
    Typed len = args.size() == 3 ? requireIntegral(args, 2, text) : Typed.literal(Integer.MAX_VALUE, Primitive.INT);
    if (pos.constant() && len.constant()) {
      if (pos.value() == null || len.value() == null) {
        return Typed.literal(null, Primitive.STRING);
      }
      long p = ((Number) pos.value()).longValue();
      long l = ((Number) len.value()).longValue();
      return unaryString(s, Primitive.STRING, v -> SqlValues.substring(v, p, l));
    }
    return Typed.of(new Eval.Call3(s.eval(), pos.eval(), len.eval(),
        (a, b, c) -> SqlValues.substring((String) a, ((Number) b).longValue(), ((Number) c).longValue())), Primitive.STRING, s, pos, len);
  }

  private static Typed replace(List<Typed> args, String text) {
    arity(args, text, 2, 3);
    Typed s = require(args, 0, Primitive.STRING, text);
    Typed search = require(args, 1, Primitive.STRING, text);
    Typed replacement = args.size() == 3 ? require(args, 2, Primitive.STRING, text) : Typed.literal("", Primitive.STRING);
    if (search.constant() && replacement.constant()) {
      if (search.value() == null || replacement.value() == null) {
        return Typed.literal(null, Primitive.STRING);
      }
      String from = (String) search.value();
      String to = (String) replacement.value();
      return unaryString(s, Primitive.STRING, v -> SqlValues.replace(v, from, to));
    }
    return Typed.of(new Eval.Call3(s.eval(), search.eval(), replacement.eval(),
        (a, b, c) -> SqlValues.replace((String) a, (String) b, (String) c)), Primitive.STRING, s, search, replacement);
  }

  private static Typed concat(List<Typed> args, String text) {
    arity(args, text, 1, Integer.MAX_VALUE);
    Eval[] evals = new Eval[args.size()];
    for (int i = 0; i < evals.length; i++) {
      evals[i] = asString(args.get(i), text).eval();
    }
    if (evals.length == 1) {
      return Typed.of(evals[0], Primitive.STRING, args);
    }
    return Typed.of(new Operators.Concat(evals), Primitive.STRING, args);
  }

  private static Typed concatWs(List<Typed> args, String text) {
    arity(args, text, 1, Integer.MAX_VALUE);
    Typed separator = require(args, 0, Primitive.STRING, text);
    Eval[] evals = new Eval[args.size() - 1];
    for (int i = 1; i < args.size(); i++) {
      Typed a = args.get(i);
      evals[i - 1] = a.type() instanceof ColumnType.Array array && array.element() == Primitive.STRING ? a.eval() : asString(a, text).eval();
    }
    return Typed.of(new Operators.ConcatWs(separator.eval(), evals), Primitive.STRING, args);
  }

  private static Typed split(List<Typed> args, String text) {
    arity(args, text, 2, 3);
    Typed s = require(args, 0, Primitive.STRING, text);
    Typed regex = require(args, 1, Primitive.STRING, text);
    Typed limit = args.size() == 3 ? requireIntegral(args, 2, text) : Typed.literal(-1, Primitive.INT);
    ColumnType type = new ColumnType.Array(Primitive.STRING);
    if (regex.constant() && limit.constant()) {
      if (regex.value() == null || limit.value() == null) {
        return Typed.literal(null, type);
      }
      Pattern pattern = pattern((String) regex.value(), text);
      int n = ((Number) limit.value()).intValue();
      return Typed.of(new Eval.Call1(s.eval(), v -> SqlValues.split((String) v, pattern, n)), type, s);
    }
    return Typed.of(new Eval.Call3(s.eval(), regex.eval(), limit.eval(), (a, b, c) -> {
      try {
        return SqlValues.split((String) a, Pattern.compile((String) b), ((Number) c).intValue());
      } catch (PatternSyntaxException e) {
        return null;
      }
    }), type, s, regex, limit);
  }

  static Pattern pattern(String regex, String text) {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new CompileError(text + ": invalid regular expression '" + regex + "': " + e.getDescription());
    }
  }

  // ---- arrays ---------------------------------------------------------------------------------

  private static Typed size(List<Typed> args, String text) {
    arity(args, text, 1, 1);
    Typed a = requireArray(args, 0, text);
    return Typed.of(new Eval.Call1(a.eval(), v -> ((List<?>) v).size()), Primitive.INT, a);
  }

  private static Typed arrayContains(List<Typed> args, String text) {
    arity(args, text, 2, 2);
    Typed array = requireArray(args, 0, text);
    Typed value = args.get(1);
    ColumnType element = array.type() == null ? null : ((ColumnType.Array) array.type()).element();
    Kind kind = SqlValues.kind(element, value.type(), text);
    return Typed.of(new Operators.ArrayContains(array.eval(), value.eval(), kind), Primitive.BOOLEAN, args);
  }

  private static Typed elementAt(List<Typed> args, String text) {
    arity(args, text, 2, 2);
    Typed array = requireArray(args, 0, text);
    Typed index = requireIntegral(args, 1, text);
    if (array.type() == null) {
      throw new CompileError(text + ": the type of a NULL array is unknown; use a column");
    }
    ColumnType element = ((ColumnType.Array) array.type()).element();
    return Typed.of(new Eval.Call2(array.eval(), index.eval(), (a, b) -> {
      List<?> list = (List<?>) a;
      long i = ((Number) b).longValue();
      long at = i > 0 ? i - 1 : list.size() + i;
      return i == 0 || at < 0 || at >= list.size() ? null : list.get((int) at);
    }), element, array, index);
  }

  // ---- numbers --------------------------------------------------------------------------------

  private static Typed abs(List<Typed> args, String text) {
    arity(args, text, 1, 1);
    Typed a = requireNumeric(args, 0, text);
    ColumnType type = a.type() == null ? Primitive.INT : a.type();
    Eval.F1 f = switch ((Primitive) type) {
      case INT -> v -> Math.abs((Integer) v);
      case LONG -> v -> Math.abs((Long) v);
      case FLOAT -> v -> Math.abs((Float) v);
      default -> v -> Math.abs((Double) v);
    };
    return Typed.of(new Eval.Call1(a.eval(), f), type, a);
  }

  private static Typed round(List<Typed> args, String text) {
    arity(args, text, 1, 2);
    Typed a = requireNumeric(args, 0, text);
    int scale = 0;
    if (args.size() == 2) {
      Typed s = requireIntegral(args, 1, text);
      if (!s.constant() || s.value() == null) {
        throw new CompileError(text + ": the scale must be a constant integer");
      }
      scale = ((Number) s.value()).intValue();
    }
    int d = scale;
    ColumnType type = a.type() == null ? Primitive.INT : a.type();
    Eval.F1 f = switch ((Primitive) type) {
      case INT -> v -> d >= 0 ? v : (Object) BigDecimal.valueOf((Integer) v).setScale(d, RoundingMode.HALF_UP).intValue();
      case LONG -> v -> d >= 0 ? v : (Object) BigDecimal.valueOf((Long) v).setScale(d, RoundingMode.HALF_UP).longValue();
      case FLOAT -> v -> Float.isFinite((Float) v)
          ? (Object) new BigDecimal(v.toString()).setScale(d, RoundingMode.HALF_UP).floatValue() : v;
      default -> v -> Double.isFinite((Double) v)
          ? (Object) BigDecimal.valueOf((Double) v).setScale(d, RoundingMode.HALF_UP).doubleValue() : v;
    };
    return Typed.of(new Eval.Call1(a.eval(), f), type, a);
  }

  private static Typed floorCeil(List<Typed> args, String text, boolean floor) {
    arity(args, text, 1, 1);
    Typed a = requireNumeric(args, 0, text);
    Eval.F1 f = SqlTypes.isIntegral(a.type())
        ? v -> ((Number) v).longValue()
        : v -> (long) (floor ? Math.floor(((Number) v).doubleValue()) : Math.ceil(((Number) v).doubleValue()));
    return Typed.of(new Eval.Call1(a.eval(), f), Primitive.LONG, a);
  }

  // ---- dates and timestamps -------------------------------------------------------------------

  private static Typed dateTrunc(List<Typed> args, String text) {
    arity(args, text, 2, 2);
    Typed unit = require(args, 0, Primitive.STRING, text);
    Typed ts = SqlTypes.coerce(requireTemporal(args, 1, text), Primitive.TIMESTAMP);
    if (unit.constant()) {
      if (unit.value() == null) {
        return Typed.literal(null, Primitive.TIMESTAMP);
      }
      String u = (String) unit.value();
      if (!SqlValues.isTruncationUnit(u)) {
        throw new CompileError(text + ": unknown unit '" + u
            + "'; use YEAR, QUARTER, MONTH, WEEK, DAY, HOUR, MINUTE, SECOND, MILLISECOND or MICROSECOND");
      }
      return Typed.of(new Eval.Call1(ts.eval(), v -> SqlValues.truncate(u, (Long) v)), Primitive.TIMESTAMP, ts);
    }
    return Typed.of(new Eval.Call2(unit.eval(), ts.eval(), (u, v) -> SqlValues.truncate((String) u, (Long) v)),
        Primitive.TIMESTAMP, unit, ts);
  }

  private static Typed toDate(List<Typed> args, String text) {
    if (args.size() == 2) {
      throw new CompileError(text + ": TO_DATE with a format is not supported; TO_DATE(x) reads yyyy-MM-dd text, timestamps and dates");
    }
    arity(args, text, 1, 1);
    Typed a = args.get(0);
    if (a.type() != null && a.type() != Primitive.STRING && !SqlTypes.isTemporal(a.type())) {
      throw new CompileError(text + ": argument 1 must be TIMESTAMP, DATE or STRING, got " + a.type().sqlName());
    }
    return SqlTypes.coerce(a.type() == null ? SqlTypes.coerce(a, Primitive.DATE) : a, Primitive.DATE);
  }

  @FunctionalInterface
  interface DatePart {
    int of(LocalDate date);
  }

  private static Typed datePart(List<Typed> args, String text, DatePart part) {
    arity(args, text, 1, 1);
    Typed a = requireTemporal(args, 0, text);
    Eval.F1 f = a.type() == Primitive.DATE
        ? v -> part.of(LocalDate.ofEpochDay((Integer) v))
        : v -> part.of(SqlValues.localDate((Long) v));
    return Typed.of(new Eval.Call1(a.eval(), f), Primitive.INT, a);
  }
}
