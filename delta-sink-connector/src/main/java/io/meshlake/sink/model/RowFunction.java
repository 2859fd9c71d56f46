package io.meshlake.sink.model;

import io.meshlake.table.schema.TableSchema;
import java.util.function.Consumer;

/** A compiled model: turns one source row into zero (filtered out), one, or many (exploded) table rows. */
public interface RowFunction {

  TableSchema outputSchema();

  /** Emits the model's rows for one source row; never keeps a reference to {@code source}. */
  void apply(Object[] source, Consumer<Object[]> out);
}
