package io.meshlake.sink.model;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;

/** Compile-time type rules: which types mix, and to what they widen. A null type is the type of a bare NULL. */
final class SqlTypes {

  private SqlTypes() {}

  static String name(ColumnType t) {
    return t == null ? "NULL" : t.sqlName();
  }

  static boolean isNumeric(ColumnType t) {
    return t == Primitive.INT || t == Primitive.LONG || t == Primitive.FLOAT || t == Primitive.DOUBLE;
  }

  static boolean isIntegral(ColumnType t) {
    return t == Primitive.INT || t == Primitive.LONG;
  }

  static boolean isTemporal(ColumnType t) {
    return t == Primitive.TIMESTAMP || t == Primitive.DATE;
  }

  private static int rank(ColumnType t) {
    return t == Primitive.INT ? 1 : t == Primitive.LONG ? 2 : t == Primitive.FLOAT ? 3 : 4;
  }

  /** The wider of two numeric types (INT < BIGINT < FLOAT < DOUBLE); a NULL side takes the other's type. */
  static ColumnType widerNumeric(ColumnType a, ColumnType b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return rank(a) >= rank(b) ? a : b;
  }

  /**
   * The type both values can be widened to without loss of meaning: equal types, numeric widening,
   * DATE with TIMESTAMP gives TIMESTAMP, NULL with anything gives the other. Strings never mix with
   * numbers implicitly: the model has to CAST.
   */
  static ColumnType common(ColumnType a, ColumnType b, String context) {
    if (a == null) {
      return b;
    }
    if (b == null || a.equals(b)) {
      return a;
    }
    if (isNumeric(a) && isNumeric(b)) {
      return widerNumeric(a, b);
    }
    if (isTemporal(a) && isTemporal(b)) {
      return Primitive.TIMESTAMP;
    }
    throw new CompileError("incompatible types " + name(a) + " and " + name(b) + " in " + context + "; use CAST");
  }

  /** Widens a value to {@code target} (see {@link #common}); the identity when it already has that type. */
  static Typed coerce(Typed value, ColumnType target) {
    if (target == null || target.equals(value.type())) {
      return value;
    }
    if (value.type() == null) {
      return new Typed(value.eval(), target, value.constant(), value.usesGenerator()); // a NULL takes any type
    }
    Eval.F1 conversion = Casts.conversion(value.type(), target);
    return Typed.of(new Eval.Call1(value.eval(), conversion), target, value);
  }

  /**
   * Brings two operands of a comparison to comparable types: numbers compare as numbers, a DATE with a
   * TIMESTAMP as timestamps, and a STRING with a DATE or TIMESTAMP is read as one (so
   * {@code created_at >= '2024-01-01'} works).
   */
  static Typed[] comparable(Typed l, Typed r, String context) {
    ColumnType a = l.type();
    ColumnType b = r.type();
    if (a != null && b != null && !a.equals(b)) {
      if (isTemporal(a) && isTemporal(b)) {
        return new Typed[] {coerce(l, Primitive.TIMESTAMP), coerce(r, Primitive.TIMESTAMP)};
      }
      if (isTemporal(a) && b == Primitive.STRING) {
        return new Typed[] {l, castString(r, a, context)};
      }
      if (isTemporal(b) && a == Primitive.STRING) {
        return new Typed[] {castString(l, b, context), r};
      }
    }
    SqlValues.kind(a, b, context);
    return new Typed[] {l, r};
  }

  private static Typed castString(Typed s, ColumnType temporal, String context) {
    Typed cast = Typed.of(new Eval.Call1(s.eval(), Casts.conversion(Primitive.STRING, temporal)), temporal, s);
    if (s.constant() && s.value() != null && cast.value() == null) {
      throw new CompileError("'" + s.value() + "' is not a valid " + temporal.sqlName() + " in " + context);
    }
    return cast;
  }
}
