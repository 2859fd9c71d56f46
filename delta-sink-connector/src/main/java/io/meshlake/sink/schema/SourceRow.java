package io.meshlake.sink.schema;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * The row a model reads for one event: an {@code envelope} struct followed by the entity's fields,
 * flattened. Models refer to {@code envelope.version}, {@code envelope.workspace_id} (the short
 * workspace id), and to entity fields by name.
 */
public final class SourceRow {

  public static final String ENVELOPE = "envelope";

  /** Members of the envelope struct, in order. */
  public static final ColumnType.Struct ENVELOPE_STRUCT = new ColumnType.Struct(List.of(
      new ColumnType.Field("workspace_id", ColumnType.Primitive.STRING),
      new ColumnType.Field("workspace_ari", ColumnType.Primitive.STRING),
      new ColumnType.Field("resource_ari", ColumnType.Primitive.STRING),
      new ColumnType.Field("entity_type", ColumnType.Primitive.INT),
      new ColumnType.Field("version", ColumnType.Primitive.LONG),
      new ColumnType.Field("generation_watermark", ColumnType.Primitive.LONG),
      new ColumnType.Field("is_tombstone", ColumnType.Primitive.BOOLEAN)));

  private SourceRow() {}

  /** The source schema for an entity: the envelope struct, then the entity's fields. */
  public static ColumnType.Struct schema(ColumnType.Struct entity) {
    List<ColumnType.Field> fields = new ArrayList<>();
    fields.add(new ColumnType.Field(ENVELOPE, ENVELOPE_STRUCT));
    for (ColumnType.Field f : entity.fields()) {
      if (f.name().equals(ENVELOPE)) {
        throw new IllegalArgumentException("an entity field may not be called '" + ENVELOPE + "': models use it for the envelope");
      }
      fields.add(f);
    }
    return new ColumnType.Struct(fields);
  }

  /** Values for {@link #ENVELOPE_STRUCT}. */
  public static Object[] envelope(String workspaceId, String workspaceAri, String resourceAri, int entityType,
      long version, long generationWatermark, boolean tombstone) {
    return new Object[] {workspaceId, workspaceAri, resourceAri, entityType, version, generationWatermark, tombstone};
  }

  /** A source row from envelope values and the entity's flattened fields. */
  public static Object[] row(Object[] envelope, Object[] entity) {
    Object[] row = new Object[1 + entity.length];
    row[0] = envelope;
    System.arraycopy(entity, 0, row, 1, entity.length);
    return row;
  }
}
