package io.meshlake.sink.model;

import io.meshlake.table.schema.TableSchema;
import java.util.List;
import java.util.function.Consumer;

/**
 * A model's row function: the filters that read only the source row run once per event; with a
 * {@code LATERAL VIEW}, the generator's array is evaluated once, then the filters that read the
 * generated columns and the projection run per element. The only allocations are the output rows
 * (and, with a LATERAL VIEW, one two-slot array per event for the generator's values).
 */
final class CompiledRowFunction implements RowFunction {

  private final TableSchema schema;
  private final Eval[] columns;
  private final Eval[] sourceFilters;
  private final Eval generator;
  private final Eval[] generatedFilters;

  CompiledRowFunction(TableSchema schema, Eval[] columns, Eval[] sourceFilters, Eval generator, Eval[] generatedFilters) {
    this.schema = schema;
    this.columns = columns;
    this.sourceFilters = sourceFilters;
    this.generator = generator;
    this.generatedFilters = generatedFilters;
  }

  @Override
  public TableSchema outputSchema() {
    return schema;
  }

  @Override
  public void apply(Object[] source, Consumer<Object[]> out) {
    for (Eval filter : sourceFilters) {
      if (!Boolean.TRUE.equals(filter.eval(source, null))) {
        return;
      }
    }
    if (generator == null) {
      out.accept(project(source, null));
      return;
    }
    List<?> elements = (List<?>) generator.eval(source, null);
    if (elements == null || elements.isEmpty()) {
      return;
    }
    Object[] gen = new Object[2];
    elements:
    for (int i = 0, n = elements.size(); i < n; i++) {
      gen[0] = i;
      gen[1] = elements.get(i);
      for (Eval filter : generatedFilters) {
        if (!Boolean.TRUE.equals(filter.eval(source, gen))) {
          continue elements;
        }
      }
      out.accept(project(source, gen));
    }
  }

  private Object[] project(Object[] source, Object[] gen) {
    Object[] row = new Object[columns.length];
    for (int i = 0; i < row.length; i++) {
      row[i] = columns[i].eval(source, gen);
    }
    return row;
  }

  @Override
  public String toString() {
    return "RowFunction" + schema;
  }
}
