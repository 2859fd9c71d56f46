package io.meshlake.query;

import io.meshlake.query.LakeTables.DataFile;
import io.meshlake.query.LakeTables.WorkspaceTable;
import io.meshlake.table.schema.ColumnType;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Puts one workspace's rows of the tables a query references into its DuckDB connection, under the
 * tables' own names, before the caller's SQL runs. The rows come from the workspace's files of the
 * current snapshot only; {@code workspace_id} is a constant column (it lives in the log, not in the
 * files).
 *
 * <p>Two shapes, chosen so that every file the caller's SQL can still open holds nothing but rows it
 * may see: a table whose rows are exactly its files' rows becomes a <em>view</em> over
 * {@code read_parquet} of those files, and the files are returned to be allowed after lock-down. A
 * table narrowed below its files — by a {@link QueryScope} restriction or by deletion vectors — is
 * <em>materialized</em> into an in-memory table while external access is still open, and its files
 * are not allowed afterwards, so neither the scope nor a deletion can be bypassed by opening a file.
 */
final class WorkspaceViews {

  private static final String DELETED = "__meshlake_deleted_rows";

  private final DeletedRows deletedRows;

  WorkspaceViews(DeletedRows deletedRows) {
    this.deletedRows = deletedRows;
  }

  /** Creates the tables; returns the files the views read, which must stay readable after lock-down. */
  List<Path> install(DuckSession duck, List<WorkspaceTable> tables, String workspace, QueryScope scope) throws SQLException {
    List<Path> viewFiles = new ArrayList<>();
    for (WorkspaceTable table : tables) {
      List<QueryScope.Restriction> restrictions = scope.restrictions(table.name());
      checkColumns(table, restrictions);
      List<long[]> deleted = deletedPositions(table);
      boolean hasDeletes = deleted.stream().anyMatch(p -> p.length > 0);
      if (table.files().isEmpty()) {
        duck.execute("CREATE VIEW " + DuckTypes.identifier(table.name()) + " AS " + emptySelect(table));
      } else if (restrictions.isEmpty() && !hasDeletes) {
        duck.execute("CREATE VIEW " + DuckTypes.identifier(table.name()) + " AS " + fileSelect(table, workspace, false));
        table.files().forEach(f -> viewFiles.add(f.path()));
      } else {
        materialize(duck, table, workspace, restrictions, hasDeletes ? deleted : null);
      }
    }
    return viewFiles;
  }

  private void materialize(DuckSession duck, WorkspaceTable table, String workspace, List<QueryScope.Restriction> restrictions,
      List<long[]> deleted) throws SQLException {
    StringBuilder sql = new StringBuilder("CREATE TABLE ").append(DuckTypes.identifier(table.name()))
        .append(" AS SELECT * FROM (").append(fileSelect(table, workspace, deleted != null)).append(") AS scoped WHERE TRUE");
    List<Object> values = new ArrayList<>();
    for (QueryScope.Restriction r : restrictions) {
      sql.append(" AND ");
      if (r.values().isEmpty()) {
        sql.append("FALSE");
        continue;
      }
      StringJoiner in = new StringJoiner(", ", DuckTypes.identifier(r.column()) + " IN (", ")");
      for (Object v : r.values()) {
        values.add(v);
        in.add("$" + values.size());
      }
      sql.append(in);
    }
    if (deleted != null) {
      loadDeleted(duck, table, deleted);
    }
    try (PreparedStatement create = duck.prepare(sql.toString())) {
      for (int i = 0; i < values.size(); i++) {
        create.setObject(i + 1, values.get(i));
      }
      create.execute();
    }
    if (deleted != null) {
      duck.execute("DROP TABLE " + DELETED);
    }
  }

  /**
   * The workspace's rows of the table's files, columns in table order. With {@code withoutDeleted}, rows
   * whose (file, row number) is in the deleted-rows table are left out.
   */
  private static String fileSelect(WorkspaceTable table, String workspace, boolean withoutDeleted) {
    StringJoiner columns = new StringJoiner(", ");
    for (ColumnType.Field f : table.schema().fields()) {
      if (f.name().equals(LakeTables.WORKSPACE_COLUMN)) {
        // The caller's workspace, checked against the workspace-id rule before it gets here.
        columns.add("CAST(" + DuckTypes.literal(workspace) + " AS VARCHAR) AS " + DuckTypes.identifier(f.name()));
      } else {
        columns.add("f." + DuckTypes.identifier(f.name()));
      }
    }
    StringJoiner files = new StringJoiner(", ", "[", "]");
    for (DataFile file : table.files()) {
      files.add(DuckTypes.literal(file.path().toString()));
    }
    String read = "read_parquet(" + files + ", hive_partitioning = false, union_by_name = false"
        + (withoutDeleted ? ", filename = true, file_row_number = true" : "") + ") AS f";
    String select = "SELECT " + columns + " FROM " + read;
    if (withoutDeleted) {
      select += " WHERE NOT EXISTS (SELECT 1 FROM " + DELETED + " d WHERE d.file = f.filename AND d.pos = f.file_row_number)";
    }
    return select;
  }

  private static String emptySelect(WorkspaceTable table) {
    StringJoiner columns = new StringJoiner(", ");
    for (ColumnType.Field f : table.schema().fields()) {
      columns.add("CAST(NULL AS " + DuckTypes.sqlType(f.type()) + ") AS " + DuckTypes.identifier(f.name()));
    }
    return "SELECT " + columns + " WHERE FALSE";
  }

  private List<long[]> deletedPositions(WorkspaceTable table) {
    List<long[]> positions = new ArrayList<>();
    for (DataFile file : table.files()) {
      if (file.file().deletionVector().isEmpty()) {
        positions.add(new long[0]);
        continue;
      }
      try {
        positions.add(deletedRows.positions(table.table(), file.file()));
      } catch (IOException e) {
        throw new QueryException(QueryException.Kind.INTERNAL,
            "could not read the deletion vector of " + file.file().path() + " in table " + table.name() + ": " + e.getMessage(), e);
      }
    }
    return positions;
  }

  private static void loadDeleted(DuckSession duck, WorkspaceTable table, List<long[]> deleted) throws SQLException {
    duck.execute("CREATE OR REPLACE TABLE " + DELETED + " (file VARCHAR, pos BIGINT)");
    try (DuckDBAppender appender = duck.connection().unwrap(DuckDBConnection.class).createAppender(DuckDBConnection.DEFAULT_SCHEMA, DELETED)) {
      for (int i = 0; i < deleted.size(); i++) {
        String file = table.files().get(i).path().toString();
        for (long pos : deleted.get(i)) {
          appender.beginRow().append(file).append(pos).endRow();
        }
      }
    }
  }

  private static void checkColumns(WorkspaceTable table, List<QueryScope.Restriction> restrictions) {
    for (QueryScope.Restriction r : restrictions) {
      int index = table.schema().indexOf(r.column());
      if (index < 0) {
        throw QueryException.rejected("scope column " + r.column() + " is not a column of table " + table.name()
            + "; columns are " + table.schema().names());
      }
      if (!(table.schema().fields().get(index).type() instanceof ColumnType.Primitive)) {
        throw QueryException.rejected("scope column " + table.name() + "." + r.column() + " is not a plain value column");
      }
    }
  }
}
