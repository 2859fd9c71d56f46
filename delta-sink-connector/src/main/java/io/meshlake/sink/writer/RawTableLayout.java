package io.meshlake.sink.writer;

import io.meshlake.contracts.ContractTypes;
import io.meshlake.contracts.ResourceAris;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.table.schema.ColumnType;
import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import io.meshlake.sink.schema.ProtobufColumnReader;
import io.meshlake.sink.schema.ProtobufFlattener;
import io.meshlake.table.schema.TableSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw (append-only) table of one entity: every event received, verbatim — envelope, the entity's
 * fields flattened, and where and when it was received — so the table can replay any workspace.
 */
public final class RawTableLayout {

  /** Columns before the entity's fields. */
  static final List<ColumnType.Field> ENVELOPE_COLUMNS = List.of(
      new ColumnType.Field("workspace_id", ColumnType.Primitive.STRING),
      new ColumnType.Field("resource_ari", ColumnType.Primitive.STRING),
      new ColumnType.Field("entity_type", ColumnType.Primitive.INT),
      new ColumnType.Field("_version", ColumnType.Primitive.LONG),
      new ColumnType.Field("_generation_watermark", ColumnType.Primitive.LONG),
      new ColumnType.Field("_is_tombstone", ColumnType.Primitive.BOOLEAN),
      new ColumnType.Field("_offload_uri", ColumnType.Primitive.STRING));

  /** Columns after the entity's fields. */
  static final List<ColumnType.Field> KAFKA_COLUMNS = List.of(
      new ColumnType.Field("_kafka_topic", ColumnType.Primitive.STRING),
      new ColumnType.Field("_kafka_partition", ColumnType.Primitive.INT),
      new ColumnType.Field("_kafka_offset", ColumnType.Primitive.LONG),
      new ColumnType.Field("_kafka_timestamp", ColumnType.Primitive.TIMESTAMP),
      new ColumnType.Field("_received_at", ColumnType.Primitive.TIMESTAMP));

  private final EntityManifest manifest;
  private final ProtobufFlattener flattener;
  private final ProtobufColumnReader reader;
  private final TableLayout layout;
  private final int entityColumns;
  /**
   * The last topic's name as UTF-8: every row names its topic, and a writer's rows all come from one,
   * so the name is encoded once rather than per row. One record, so a reader never pairs a name with
   * another topic's bytes.
   */
  private volatile TopicName lastTopic = new TopicName("", new byte[0]);

  private record TopicName(String name, byte[] utf8) {}

  public RawTableLayout(EntityManifest manifest) {
    this.manifest = manifest;
    this.flattener = new ProtobufFlattener(ContractTypes.descriptor(manifest.entity()).orElseThrow());
    this.reader = new ProtobufColumnReader(flattener);
    List<ColumnType.Field> fields = new ArrayList<>(ENVELOPE_COLUMNS);
    for (ColumnType.Field f : flattener.struct().fields()) {
      boolean clash = ENVELOPE_COLUMNS.stream().anyMatch(e -> e.name().equals(f.name()))
          || KAFKA_COLUMNS.stream().anyMatch(e -> e.name().equals(f.name()));
      if (clash) {
        throw new IllegalArgumentException(manifest.entity() + " field '" + f.name() + "' clashes with a raw table system column");
      }
      fields.add(f);
    }
    fields.addAll(KAFKA_COLUMNS);
    this.entityColumns = flattener.struct().fields().size();
    java.util.Set<String> lowCardinality = new java.util.HashSet<>(flattener.enumColumns());
    lowCardinality.add("_kafka_topic");
    this.layout = new TableLayout(new TableSchema(fields), List.of(TableLayout.WORKSPACE), lowCardinality);
    if (!layout.fileSchema().names().equals(layout.schema().names().subList(1, fields.size()))) {
      throw new IllegalStateException("the raw file row assumes every column but the leading workspace_id is in the file");
    }
  }

  /** {@code raw_<domain>_<kind>}, e.g. raw_jira_issue. */
  public static String tableName(EntityManifest manifest) {
    return "raw_" + manifest.domain() + "_" + ResourceAris.kind(manifest);
  }

  public EntityManifest manifest() {
    return manifest;
  }

  public TableLayout layout() {
    return layout;
  }

  /**
   * The entity's columns read straight from its serialized bytes (strings as slices of them), or
   * null when the bytes need a full parse ({@link ProtobufColumnReader}). The columns share the
   * serialized bytes, which must not change until the row is written.
   */
  public Object[] readEntity(ByteString serialized) {
    return reader.read(serialized);
  }

  /** The entity's columns from the parsed message, as {@link #readEntity} gives them. */
  public Object[] flattenEntity(Message entity) {
    return ProtobufColumnReader.utf8(flattener.flatten(entity));
  }

  /**
   * The event's row as its data file holds it: every column but {@code workspace_id} (the first),
   * which is the file's partition value. Built in file layout directly, not copied from a table row.
   */
  public Object[] fileRow(SinkEvent event, long receivedAtMicros) {
    Object[] row = new Object[layout.fileSchema().size()];
    int i = 0;
    row[i++] = event.resourceAri();
    row[i++] = event.record().getEntityType();
    row[i++] = event.version();
    row[i++] = event.generation();
    row[i++] = event.tombstone();
    row[i++] = event.record().hasOffloadPointer() ? event.record().getOffloadPointer().getUri() : null;
    Object[] entity = event.entityColumns() != null ? event.entityColumns()
        : event.entity() != null ? flattenEntity(event.entity()) : null;
    if (entity != null) {
      System.arraycopy(entity, 0, row, i, entityColumns);
    }
    i += entityColumns;
    row[i++] = topicUtf8(event.topic());
    row[i++] = event.partition();
    row[i++] = event.offset();
    row[i++] = event.timestamp() == null ? null : event.timestamp() * 1000L;
    row[i] = receivedAtMicros;
    return row;
  }

  private byte[] topicUtf8(String topic) {
    if (topic == null) {
      return null;
    }
    TopicName last = lastTopic;
    if (!last.name().equals(topic)) {
      last = new TopicName(topic, topic.getBytes(StandardCharsets.UTF_8));
      lastTopic = last;
    }
    return last.utf8();
  }
}
