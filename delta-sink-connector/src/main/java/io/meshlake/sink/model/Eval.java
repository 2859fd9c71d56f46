package io.meshlake.sink.model;

/**
 * One node of a compiled expression: evaluated once per output row against the source row and, in a
 * model with a {@code LATERAL VIEW}, the generator's current values. Column references were resolved
 * to array indexes when the model was compiled; evaluation never parses, looks names up or throws on
 * data (a value that cannot be computed is NULL).
 */
abstract class Eval {

  /**
   * @param row the source row ({@code envelope} struct, then the entity's flattened fields)
   * @param gen the generator's values for this output row ({@code [position, element]}), or null in a
   *     model without {@code LATERAL VIEW} and while evaluating the parent-only parts of one that has it
   */
  abstract Object eval(Object[] row, Object[] gen);

  /** A value known when the model is compiled (literals and expressions over literals only). */
  static final class Const extends Eval {
    final Object value;

    Const(Object value) {
      this.value = value;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      return value;
    }
  }

  /** A column of the source row. */
  static final class SourceColumn extends Eval {
    private final int index;

    SourceColumn(int index) {
      this.index = index;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      return row[index];
    }
  }

  /** A column produced by the {@code LATERAL VIEW} generator (0 = position or element, 1 = element). */
  static final class GeneratedColumn extends Eval {
    private final int index;

    GeneratedColumn(int index) {
      this.index = index;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      return gen[index];
    }
  }

  /** A member of a struct value ({@code envelope.version}, {@code custom_field.name}); NULL when the struct is. */
  static final class Member extends Eval {
    private final Eval struct;
    private final int index;

    Member(Eval struct, int index) {
      this.struct = struct;
      this.index = index;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object value = struct.eval(row, gen);
      return value == null ? null : ((Object[]) value)[index];
    }
  }

  /** A function of one value; receives non-null values only (NULL in, NULL out). */
  @FunctionalInterface
  interface F1 {
    Object apply(Object a);
  }

  @FunctionalInterface
  interface F2 {
    Object apply(Object a, Object b);
  }

  @FunctionalInterface
  interface F3 {
    Object apply(Object a, Object b, Object c);
  }

  /** A NULL-propagating call of one argument. */
  static final class Call1 extends Eval {
    private final Eval a;
    private final F1 f;

    Call1(Eval a, F1 f) {
      this.a = a;
      this.f = f;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object x = a.eval(row, gen);
      return x == null ? null : f.apply(x);
    }
  }

  /** A NULL-propagating call of two arguments. */
  static final class Call2 extends Eval {
    private final Eval a;
    private final Eval b;
    private final F2 f;

    Call2(Eval a, Eval b, F2 f) {
      this.a = a;
      this.b = b;
      this.f = f;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object x = a.eval(row, gen);
      if (x == null) {
        return null;
      }
      Object y = b.eval(row, gen);
      return y == null ? null : f.apply(x, y);
    }
  }

  /** A NULL-propagating call of three arguments. */
  static final class Call3 extends Eval {
    private final Eval a;
    private final Eval b;
    private final Eval c;
    private final F3 f;

    Call3(Eval a, Eval b, Eval c, F3 f) {
      this.a = a;
      this.b = b;
      this.c = c;
      this.f = f;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object x = a.eval(row, gen);
      if (x == null) {
        return null;
      }
      Object y = b.eval(row, gen);
      if (y == null) {
        return null;
      }
      Object z = c.eval(row, gen);
      return z == null ? null : f.apply(x, y, z);
    }
  }

  /**
   * A string-to-string function of one varying argument, remembering its results for short inputs.
   * Models mostly apply such functions to enum names and other short categorical values
   * ({@code REPLACE(status, 'ISSUE_STATUS_', '')}), so a small cache means the hot path returns the
   * same String instance instead of building a new one per event. Entries are immutable, so the cache
   * is safe to share between threads (a racing reader sees an older entry or none, never a torn one).
   */
  static final class MemoizedString extends Eval {
    private static final int SLOTS = 32;
    private static final int MAX_LENGTH = 64;

    private record Entry(String key, Object value) {}

    private final Eval a;
    private final F1 f;
    private final Entry[] cache = new Entry[SLOTS];

    MemoizedString(Eval a, F1 f) {
      this.a = a;
      this.f = f;
    }

    @Override
    Object eval(Object[] row, Object[] gen) {
      Object x = a.eval(row, gen);
      if (x == null) {
        return null;
      }
      String s = (String) x;
      if (s.length() > MAX_LENGTH) {
        return f.apply(s);
      }
      int slot = s.hashCode() & (SLOTS - 1);
      Entry e = cache[slot];
      if (e != null && (e.key == s || e.key.equals(s))) {
        return e.value;
      }
      Object result = f.apply(s);
      cache[slot] = new Entry(s, result);
      return result;
    }
  }
}
