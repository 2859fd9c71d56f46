package io.meshlake.sink.writer;

import io.meshlake.table.schema.ColumnType;
import java.util.Map;

/**
 * A refined table's layout plus where the merge finds, in a file row, the entity identity and the
 * version that the last-write-wins guard compares.
 */
public final class MergeLayout {

  public static final String RESOURCE_ARI = "resource_ari";
  public static final String VERSION = "_version";
  public static final String GENERATION = "_generation_watermark";

  private final TableLayout layout;
  private final int kafkaPartition;
  private final WriterSettings settings;
  final int ari;
  final int version;
  final int generation;

  public MergeLayout(TableLayout layout, int kafkaPartition, WriterSettings settings) {
    this.layout = layout;
    this.kafkaPartition = kafkaPartition;
    this.settings = settings;
    this.ari = layout.fileIndex(RESOURCE_ARI);
    this.version = layout.fileIndex(VERSION);
    this.generation = layout.fileIndex(GENERATION);
  }

  public TableLayout table() {
    return layout;
  }

  public int kafkaPartition() {
    return kafkaPartition;
  }

  public WriterSettings settings() {
    return settings;
  }

  public String ariOf(Object[] fileRow) {
    return (String) fileRow[ari];
  }

  public long versionOf(Object[] fileRow) {
    Object v = fileRow[version];
    return v == null ? -1 : (Long) v;
  }

  public long generationOf(Object[] fileRow) {
    Object g = fileRow[generation];
    return g == null ? 0 : (Long) g;
  }

  /** Statistics a merge needs from the log: the identity column's range in each file. */
  public static Map<String, ColumnType.Primitive> boundColumns() {
    return Map.of(RESOURCE_ARI, ColumnType.Primitive.STRING);
  }
}
