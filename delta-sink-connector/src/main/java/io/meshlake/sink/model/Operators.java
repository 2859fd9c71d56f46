package io.meshlake.sink.model;

import io.meshlake.sink.model.SqlValues.Kind;
import io.meshlake.table.schema.ColumnType.Primitive;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The evaluators of operators and of the functions that are not simple NULL-in-NULL-out calls. */
final class Operators {

  private Operators() {}

  /** {@code + - * %} on numbers of the result type; NULL on NULL, {@code x % 0} is NULL; integers wrap on overflow. */
  static final class Arithmetic extends Eval {
    private final char op;
    private final Primitive type;
    private final Eval l;
    private final Eval r;

    Arithmetic(char op, Primitive type, Eval l, Eval r) {
      this.op = op;
      this.type = type;
      this.l = l;
      this.r = r;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object a = l.eval(row, gen);
      if (a == null) {
        return null;
      }
      Object b = r.eval(row, gen);
      if (b == null) {
        return null;
      }
      Number x = (Number) a;
      Number y = (Number) b;
      switch (type) {
        case INT: {
          int i = x.intValue();
          int j = y.intValue();
          return switch (op) {
            case '+' -> i + j;
            case '-' -> i - j;
            case '*' -> i * j;
            default -> j == 0 ? null : (Object) (i % j);
          };
        }
        case LONG: {
          long i = x.longValue();
          long j = y.longValue();
          return switch (op) {
            case '+' -> i + j;
            case '-' -> i - j;
            case '*' -> i * j;
            default -> j == 0 ? null : (Object) (i % j);
          };
        }
        case FLOAT: {
          float i = x.floatValue();
          float j = y.floatValue();
          return switch (op) {
            case '+' -> i + j;
            case '-' -> i - j;
            case '*' -> i * j;
            default -> j == 0 ? null : (Object) (i % j);
          };
        }
        default: {
          double i = x.doubleValue();
          double j = y.doubleValue();
          return switch (op) {
            case '+' -> i + j;
            case '-' -> i - j;
            case '*' -> i * j;
            default -> j == 0 ? null : (Object) (i % j);
          };
        }
      }
    }
  }

  /** {@code /}: always DOUBLE (as in Spark, {@code 7 / 2} is 3.5); division by zero is NULL. */
  static final class Divide extends Eval {
    private final Eval l;
    private final Eval r;

    Divide(Eval l, Eval r) {
      this.l = l;
      this.r = r;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object a = l.eval(row, gen);
      if (a == null) {
        return null;
      }
      Object b = r.eval(row, gen);
      if (b == null) {
        return null;
      }
      double y = ((Number) b).doubleValue();
      return y == 0 ? null : (Object) (((Number) a).doubleValue() / y);
    }
  }

  /** {@code DIV}: integral division to BIGINT, truncating; division by zero is NULL. */
  static final class IntegralDivide extends Eval {
    private final Eval l;
    private final Eval r;

    IntegralDivide(Eval l, Eval r) {
      this.l = l;
      this.r = r;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object a = l.eval(row, gen);
      if (a == null) {
        return null;
      }
      Object b = r.eval(row, gen);
      if (b == null) {
        return null;
      }
      long y = ((Number) b).longValue();
      return y == 0 ? null : (Object) (((Number) a).longValue() / y);
    }
  }

  static final class Negate extends Eval {
    private final Primitive type;
    private final Eval in;

    Negate(Primitive type, Eval in) {
      this.type = type;
      this.in = in;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object v = in.eval(row, gen);
      if (v == null) {
        return null;
      }
      Number n = (Number) v;
      return switch (type) {
        case INT -> -n.intValue();
        case LONG -> -n.longValue();
        case FLOAT -> -n.floatValue();
        default -> -n.doubleValue();
      };
    }
  }

  enum Comparison {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

    final String sql;

    Comparison(String sql) {
      this.sql = sql;
    }

    boolean test(int c) {
      return switch (this) {
        case EQ -> c == 0;
        case NE -> c != 0;
        case LT -> c < 0;
        case LE -> c <= 0;
        case GT -> c > 0;
        case GE -> c >= 0;
      };
    }
  }

  static final class Compare extends Eval {
    private final Comparison op;
    private final Kind kind;
    private final Eval l;
    private final Eval r;

    Compare(Comparison op, Kind kind, Eval l, Eval r) {
      this.op = op;
      this.kind = kind;
      this.l = l;
      this.r = r;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object a = l.eval(row, gen);
      if (a == null) {
        return null;
      }
      Object b = r.eval(row, gen);
      if (b == null) {
        return null;
      }
      if (op == Comparison.EQ) {
        return SqlValues.equal(kind, a, b);
      }
      if (op == Comparison.NE) {
        return !SqlValues.equal(kind, a, b);
      }
      return op.test(SqlValues.compare(kind, a, b));
    }
  }

  /** Three-valued AND: FALSE if either side is FALSE, else NULL if either is NULL, else TRUE. */
  static final class And extends Eval {
    private final Eval l;
    private final Eval r;

    And(Eval l, Eval r) {
      this.l = l;
      this.r = r;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object a = l.eval(row, gen);
      if (Boolean.FALSE.equals(a)) {
        return Boolean.FALSE;
      }
      Object b = r.eval(row, gen);
      if (Boolean.FALSE.equals(b)) {
        return Boolean.FALSE;
      }
      return a == null || b == null ? null : Boolean.TRUE;
    }
  }

  /** Three-valued OR: TRUE if either side is TRUE, else NULL if either is NULL, else FALSE. */
  static final class Or extends Eval {
    private final Eval l;
    private final Eval r;

    Or(Eval l, Eval r) {
      this.l = l;
      this.r = r;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object a = l.eval(row, gen);
      if (Boolean.TRUE.equals(a)) {
        return Boolean.TRUE;
      }
      Object b = r.eval(row, gen);
      if (Boolean.TRUE.equals(b)) {
        return Boolean.TRUE;
      }
      return a == null || b == null ? null : Boolean.FALSE;
    }
  }

  static final class Not extends Eval {
    private final Eval in;

    Not(Eval in) {
      this.in = in;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object v = in.eval(row, gen);
      return v == null ? null : (Object) !(Boolean) v;
    }
  }

  /** {@code IS [NOT] NULL}: never NULL itself. */
  static final class IsNull extends Eval {
    private final Eval in;
    private final boolean negated;

    IsNull(Eval in, boolean negated) {
      this.in = in;
      this.negated = negated;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      return (in.eval(row, gen) == null) != negated;
    }
  }

  /** {@code IS [NOT] TRUE|FALSE}: never NULL itself. */
  static final class IsBoolean extends Eval {
    private final Eval in;
    private final Boolean expected;
    private final boolean negated;

    IsBoolean(Eval in, boolean expected, boolean negated) {
      this.in = in;
      this.expected = expected;
      this.negated = negated;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      return expected.equals(in.eval(row, gen)) != negated;
    }
  }

  /** {@code x [NOT] IN (a, b, ...)}: TRUE on a match; otherwise NULL if x or any item is NULL. */
  static final class InList extends Eval {
    private final Eval value;
    private final Eval[] items;
    private final Kind kind;
    private final boolean negated;

    InList(Eval value, Eval[] items, Kind kind, boolean negated) {
      this.value = value;
      this.items = items;
      this.kind = kind;
      this.negated = negated;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object v = value.eval(row, gen);
      if (v == null) {
        return null;
      }
      boolean sawNull = false;
      for (Eval item : items) {
        Object x = item.eval(row, gen);
        if (x == null) {
          sawNull = true;
        } else if (SqlValues.equal(kind, v, x)) {
          return !negated;
        }
      }
      return sawNull ? null : (Object) negated;
    }
  }

  /** IN over constant strings, by hash. */
  static final class InStrings extends Eval {
    private final Eval value;
    private final Set<String> items;
    private final boolean listHasNull;
    private final boolean negated;

    InStrings(Eval value, Set<String> items, boolean listHasNull, boolean negated) {
      this.value = value;
      this.items = Set.copyOf(items);
      this.listHasNull = listHasNull;
      this.negated = negated;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object v = value.eval(row, gen);
      if (v == null) {
        return null;
      }
      if (items.contains(v)) {
        return !negated;
      }
      return listHasNull ? null : (Object) negated;
    }
  }

  /** IN over constant integers, by binary search (no boxing). */
  static final class InLongs extends Eval {
    private final Eval value;
    private final long[] items;
    private final boolean listHasNull;
    private final boolean negated;

    InLongs(Eval value, long[] items, boolean listHasNull, boolean negated) {
      this.value = value;
      this.items = items.clone();
      Arrays.sort(this.items);
      this.listHasNull = listHasNull;
      this.negated = negated;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object v = value.eval(row, gen);
      if (v == null) {
        return null;
      }
      if (Arrays.binarySearch(items, ((Number) v).longValue()) >= 0) {
        return !negated;
      }
      return listHasNull ? null : (Object) negated;
    }
  }

  /** {@code [NOT] LIKE} (and ILIKE, RLIKE) against a pattern compiled once. */
  static final class Like extends Eval {
    private final Eval value;
    private final SqlValues.StringMatcher matcher;
    private final boolean negated;

    Like(Eval value, SqlValues.StringMatcher matcher, boolean negated) {
      this.value = value;
      this.matcher = matcher;
      this.negated = negated;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object v = value.eval(row, gen);
      return v == null ? null : (Object) (matcher.matches((String) v) != negated);
    }
  }

  /** {@code x [NOT] BETWEEN lo AND hi}, i.e. {@code x >= lo AND x <= hi} with x evaluated once. */
  static final class Between extends Eval {
    private final Eval value;
    private final Eval low;
    private final Eval high;
    private final Kind kindLow;
    private final Kind kindHigh;
    private final boolean negated;

    Between(Eval value, Eval low, Eval high, Kind kindLow, Kind kindHigh, boolean negated) {
      this.value = value;
      this.low = low;
      this.high = high;
      this.kindLow = kindLow;
      this.kindHigh = kindHigh;
      this.negated = negated;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object v = value.eval(row, gen);
      if (v == null) {
        return null;
      }
      Object lo = low.eval(row, gen);
      Object hi = high.eval(row, gen);
      Boolean aboveLow = lo == null ? null : SqlValues.compare(kindLow, v, lo) >= 0;
      Boolean belowHigh = hi == null ? null : SqlValues.compare(kindHigh, v, hi) <= 0;
      Boolean result;
      if (Boolean.FALSE.equals(aboveLow) || Boolean.FALSE.equals(belowHigh)) {
        result = Boolean.FALSE;
      } else if (aboveLow == null || belowHigh == null) {
        return null;
      } else {
        result = Boolean.TRUE;
      }
      return result != negated;
    }
  }

  /** {@code CASE WHEN c THEN r ... ELSE e END}: the first condition that is TRUE (not NULL) wins. */
  static final class SearchedCase extends Eval {
    private final Eval[] conditions;
    private final Eval[] results;
    private final Eval otherwise;

    SearchedCase(Eval[] conditions, Eval[] results, Eval otherwise) {
      this.conditions = conditions;
      this.results = results;
      this.otherwise = otherwise;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      for (int i = 0; i < conditions.length; i++) {
        if (Boolean.TRUE.equals(conditions[i].eval(row, gen))) {
          return results[i].eval(row, gen);
        }
      }
      return otherwise == null ? null : otherwise.eval(row, gen);
    }
  }

  /** {@code CASE x WHEN v THEN r ... ELSE e END}: x is evaluated once; a NULL x matches nothing. */
  static final class SimpleCase extends Eval {
    private final Eval subject;
    private final Eval[] candidates;
    private final Eval[] results;
    private final Eval otherwise;
    private final Kind kind;

    SimpleCase(Eval subject, Eval[] candidates, Eval[] results, Eval otherwise, Kind kind) {
      this.subject = subject;
      this.candidates = candidates;
      this.results = results;
      this.otherwise = otherwise;
      this.kind = kind;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object s = subject.eval(row, gen);
      if (s != null) {
        for (int i = 0; i < candidates.length; i++) {
          Object c = candidates[i].eval(row, gen);
          if (c != null && SqlValues.equal(kind, s, c)) {
            return results[i].eval(row, gen);
          }
        }
      }
      return otherwise == null ? null : otherwise.eval(row, gen);
    }
  }

  /** The first non-NULL argument. */
  static final class Coalesce extends Eval {
    private final Eval[] args;

    Coalesce(Eval[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      for (Eval a : args) {
        Object v = a.eval(row, gen);
        if (v != null) {
          return v;
        }
      }
      return null;
    }
  }

  /** {@code IF(c, a, b)}: a when c is TRUE, else b (also when c is NULL). */
  static final class If extends Eval {
    private final Eval condition;
    private final Eval then;
    private final Eval otherwise;

    If(Eval condition, Eval then, Eval otherwise) {
      this.condition = condition;
      this.then = then;
      this.otherwise = otherwise;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      return Boolean.TRUE.equals(condition.eval(row, gen)) ? then.eval(row, gen) : otherwise.eval(row, gen);
    }
  }

  /** {@code NULLIF(a, b)}: NULL when a = b, else a. */
  static final class NullIf extends Eval {
    private final Eval a;
    private final Eval b;
    private final Kind kind;

    NullIf(Eval a, Eval b, Kind kind) {
      this.a = a;
      this.b = b;
      this.kind = kind;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object x = a.eval(row, gen);
      if (x == null) {
        return null;
      }
      Object y = b.eval(row, gen);
      return y != null && SqlValues.equal(kind, x, y) ? null : x;
    }
  }

  /** GREATEST / LEAST: NULL arguments are skipped; NULL only when all are. */
  static final class Extreme extends Eval {
    private final Eval[] args;
    private final Kind kind;
    private final boolean greatest;

    Extreme(Eval[] args, Kind kind, boolean greatest) {
      this.args = args;
      this.kind = kind;
      this.greatest = greatest;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object best = null;
      for (Eval a : args) {
        Object v = a.eval(row, gen);
        if (v != null) {
          int c = best == null ? 0 : SqlValues.compare(kind, v, best);
          if (best == null || (greatest ? c > 0 : c < 0)) {
            best = v;
          }
        }
      }
      return best;
    }
  }

  /** CONCAT and {@code ||}: NULL if any argument is NULL. Arguments are already strings. */
  static final class Concat extends Eval {
    private final Eval[] args;

    Concat(Eval[] args) {
      this.args = args;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      if (args.length == 2) {
        Object a = args[0].eval(row, gen);
        if (a == null) {
          return null;
        }
        Object b = args[1].eval(row, gen);
        return b == null ? null : ((String) a).concat((String) b);
      }
      StringBuilder sb = new StringBuilder();
      for (Eval e : args) {
        Object v = e.eval(row, gen);
        if (v == null) {
          return null;
        }
        sb.append((String) v);
      }
      return sb.toString();
    }
  }

  /** CONCAT_WS: NULL arguments and NULL array elements are skipped; NULL only if the separator is. */
  static final class ConcatWs extends Eval {
    private final Eval separator;
    private final Eval[] args;

    ConcatWs(Eval separator, Eval[] args) {
      this.separator = separator;
      this.args = args;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object sep = separator.eval(row, gen);
      if (sep == null) {
        return null;
      }
      StringBuilder sb = new StringBuilder();
      boolean first = true;
      for (Eval e : args) {
        Object v = e.eval(row, gen);
        if (v instanceof List<?> list) {
          for (Object item : list) {
            if (item != null) {
              if (!first) {
                sb.append((String) sep);
              }
              sb.append((String) item);
              first = false;
            }
          }
        } else if (v != null) {
          if (!first) {
            sb.append((String) sep);
          }
          sb.append((String) v);
          first = false;
        }
      }
      return sb.toString();
    }
  }

  /** ARRAY_CONTAINS: NULL if the array or value is NULL, or if there is no match but the array holds a NULL. */
  static final class ArrayContains extends Eval {
    private final Eval array;
    private final Eval value;
    private final Kind kind;

    ArrayContains(Eval array, Eval value, Kind kind) {
      this.array = array;
      this.value = value;
      this.kind = kind;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object a = array.eval(row, gen);
      if (a == null) {
        return null;
      }
      Object v = value.eval(row, gen);
      if (v == null) {
        return null;
      }
      boolean sawNull = false;
      List<?> list = (List<?>) a;
      for (int i = 0, n = list.size(); i < n; i++) {
        Object x = list.get(i);
        if (x == null) {
          sawNull = true;
        } else if (SqlValues.equal(kind, x, v)) {
          return Boolean.TRUE;
        }
      }
      return sawNull ? null : Boolean.FALSE;
    }
  }
}
