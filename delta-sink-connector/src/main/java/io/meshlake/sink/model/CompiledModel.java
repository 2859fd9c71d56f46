package io.meshlake.sink.model;

import io.meshlake.contracts.model.ModelRenderer;
import io.meshlake.table.schema.TableSchema;
import java.util.List;

/**
 * A model compiled for the streaming path.
 *
 * @param name the model (and refined table) name
 * @param source the one entity stream it reads
 * @param schema the table's columns, in the order of the SELECT list
 * @param rowFunction maps one source row (see {@link io.meshlake.sink.schema.SourceRow}) to the table's rows
 * @param uniqueKey the table's key columns ({@code config(unique_key=...)}), all columns of {@code schema}
 * @param parentKey for exploded models the parent's key columns ({@code config(parent_key=...)}), a subset of
 *     {@code uniqueKey} computed from the parent only; empty otherwise
 * @param exploding whether the model has a {@code LATERAL VIEW}, i.e. yields 0..n rows per event
 */
public record CompiledModel(
    String name,
    ModelRenderer.SourceRef source,
    TableSchema schema,
    RowFunction rowFunction,
    List<String> uniqueKey,
    List<String> parentKey,
    boolean exploding) {

  public CompiledModel {
    uniqueKey = List.copyOf(uniqueKey);
    parentKey = List.copyOf(parentKey);
  }

  /** Positions of the unique key columns in a row of {@link #schema()}. */
  public int[] uniqueKeyIndexes() {
    return uniqueKey.stream().mapToInt(schema::require).toArray();
  }

  /** Positions of the parent key columns in a row of {@link #schema()}; empty for a model that does not explode. */
  public int[] parentKeyIndexes() {
    return parentKey.stream().mapToInt(schema::require).toArray();
  }
}
