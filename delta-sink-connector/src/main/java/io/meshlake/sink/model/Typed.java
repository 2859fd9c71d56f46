package io.meshlake.sink.model;

import io.meshlake.table.schema.ColumnType;

/**
 * A compiled expression with what the compiler knows about it.
 *
 * @param type the SQL type; null only for a bare NULL literal, whose type the context decides
 * @param constant whether the value is known at compile time (then {@code eval} is a {@link Eval.Const})
 * @param usesGenerator whether it reads a {@code LATERAL VIEW} column (so it must be evaluated per child row)
 */
record Typed(Eval eval, ColumnType type, boolean constant, boolean usesGenerator) {

  static Typed literal(Object value, ColumnType type) {
    return new Typed(new Eval.Const(value), type, true, false);
  }

  /** The value of a constant expression. */
  Object value() {
    return ((Eval.Const) eval).value;
  }

  boolean isNullLiteral() {
    return constant && value() == null;
  }

  /**
   * A node computed from {@code inputs}: folded into a constant when every input is one (all
   * functions are deterministic), otherwise reading the generator when any input does.
   */
  static Typed of(Eval eval, ColumnType type, Typed... inputs) {
    boolean constant = inputs.length > 0;
    boolean usesGenerator = false;
    for (Typed t : inputs) {
      constant &= t.constant;
      usesGenerator |= t.usesGenerator;
    }
    if (constant) {
      return literal(eval.eval(null, null), type);
    }
    return new Typed(eval, type, false, usesGenerator);
  }

  static Typed of(Eval eval, ColumnType type, java.util.List<Typed> inputs) {
    return of(eval, type, inputs.toArray(Typed[]::new));
  }
}
