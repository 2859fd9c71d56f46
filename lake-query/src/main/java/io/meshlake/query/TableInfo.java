package io.meshlake.query;

import java.util.List;

/**
 * A table as a workspace sees it: its name, the snapshot version read, the workspace's live rows
 * (from the log's statistics, without reading data) and its columns with DuckDB types.
 */
public record TableInfo(String name, long version, long rows, List<QueryResult.Column> columns) {
  public TableInfo {
    columns = List.copyOf(columns);
  }
}
