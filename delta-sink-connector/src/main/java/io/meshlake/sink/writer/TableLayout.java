package io.meshlake.sink.writer;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import java.util.List;

/**
 * How a table's rows map onto its files: the partition column ({@code workspace_id}) lives in the
 * log and the directory name, every other column in the Parquet file.
 */
public final class TableLayout {

  public static final String WORKSPACE = "workspace_id";

  private final TableSchema schema;
  private final List<String> partitionColumns;
  private final TableSchema fileSchema;
  private final int[] fileColumns;
  private final int workspaceIndex;
  private final java.util.Set<String> lowCardinalityColumns;

  public TableLayout(TableSchema schema, List<String> partitionColumns) {
    this(schema, partitionColumns, java.util.Set.of());
  }

  /**
   * @param lowCardinalityColumns low-cardinality string columns (enum names and the like) whose
   *     min/max the data files record; other long strings get no Parquet statistics
   */
  public TableLayout(TableSchema schema, List<String> partitionColumns, java.util.Set<String> lowCardinalityColumns) {
    this.lowCardinalityColumns = java.util.Set.copyOf(lowCardinalityColumns);
    this.schema = schema;
    this.partitionColumns = List.copyOf(partitionColumns);
    for (String column : partitionColumns) {
      int index = schema.indexOf(column);
      if (index < 0) {
        throw new IllegalArgumentException("partition column '" + column + "' is not a column of the table; columns are " + schema.names());
      }
      if (schema.fields().get(index).type() != ColumnType.Primitive.STRING) {
        throw new IllegalArgumentException("partition column '" + column + "' must be a string column");
      }
    }
    if (!partitionColumns.contains(WORKSPACE)) {
      throw new IllegalArgumentException("tables are partitioned by " + WORKSPACE
          + " (residency, erasure and row-level security act on a workspace's files); got " + partitionColumns);
    }
    this.fileSchema = schema.without(partitionColumns);
    this.fileColumns = fileSchema.names().stream().mapToInt(schema::indexOf).toArray();
    this.workspaceIndex = schema.indexOf(WORKSPACE);
  }

  public TableSchema schema() {
    return schema;
  }

  public TableSchema fileSchema() {
    return fileSchema;
  }

  public List<String> partitionColumns() {
    return partitionColumns;
  }

  /** The values of a table row that go into its file. */
  public Object[] fileRow(Object[] row) {
    Object[] out = new Object[fileColumns.length];
    for (int i = 0; i < fileColumns.length; i++) {
      out[i] = row[fileColumns[i]];
    }
    return out;
  }

  public String workspace(Object[] row) {
    return (String) row[workspaceIndex];
  }

  /** The index of a column in the file schema; the message names the columns there are. */
  public int fileIndex(String column) {
    return fileSchema.require(column);
  }

  public java.util.Set<String> lowCardinalityColumns() {
    return lowCardinalityColumns;
  }

  /** The directory of a partition under the table root, Hive-style. */
  public static String partitionDirectory(String workspace) {
    return WORKSPACE + "=" + workspace;
  }
}
