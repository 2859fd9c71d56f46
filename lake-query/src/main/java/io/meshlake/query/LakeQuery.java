package io.meshlake.query;

import io.meshlake.query.LakeTables.WorkspaceTable;
import io.meshlake.table.schema.ColumnType;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQL over a region's refined tables for one workspace at a time. A query:
 *
 * <ol>
 *   <li>is checked by {@link StatementGuard} (one SELECT over the lake's tables, nothing that reads
 *       files, settings or the environment) and translated from Spark-flavoured SQL by
 *       {@link SparkSqlTranslator}, parameters bound, never spliced;
 *   <li>gets a fresh in-memory DuckDB holding only the caller's rows of the tables it names
 *       ({@link WorkspaceViews}: the workspace's files of each table's current snapshot, without the
 *       rows their deletion vectors delete, narrowed by the {@link QueryScope});
 *   <li>runs after DuckDB is locked: external access off except for the view files, configuration
 *       locked ({@link DuckSession#lock});
 *   <li>is cancelled at the timeout, cut at the row limit, and counted in {@link #metrics()}.
 * </ol>
 */
public final class LakeQuery implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LakeQuery.class);

  private final LakeQueryConfig config;
  private final LakeTables tables;
  private final StatementGuard guard;
  private final SparkSqlTranslator translator = new SparkSqlTranslator();
  private final WorkspaceViews views;
  private final Semaphore slots;
  private final ScheduledExecutorService watchdog;
  private final QueryMetrics metrics = new QueryMetrics();

  public LakeQuery(LakeQueryConfig config) {
    this(config, DeletedRows.fromDeletionVectors());
  }

  LakeQuery(LakeQueryConfig config, DeletedRows deletedRows) {
    this.config = config;
    this.tables = new LakeTables(config.tableRoot());
    this.guard = new StatementGuard(config.maxSqlChars());
    this.views = new WorkspaceViews(deletedRows);
    this.slots = new Semaphore(config.maxConcurrentQueries(), true);
    this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "lake-query-timeouts");
      t.setDaemon(true);
      return t;
    });
  }

  public LakeQueryConfig config() {
    return config;
  }

  public QueryMetrics metrics() {
    return metrics;
  }

  /** Runs {@code sql} for {@code workspace} over its whole workspace, without parameters. */
  public QueryResult query(String workspace, String sql) {
    return query(workspace, QueryScope.none(), sql, Map.of());
  }

  /**
   * Runs {@code sql} for {@code workspace}, narrowed by {@code scope}, with named parameters
   * ({@code :name} in the SQL; a list value fills {@code IN (:name)}).
   *
   * @throws QueryException when the query is refused, fails, runs out of time or the lake cannot be read
   */
  public QueryResult query(String workspace, QueryScope scope, String sql, Map<String, ?> params) {
    long start = System.nanoTime();
    long deadline = start + config.timeout().toNanos();
    metrics.started();
    try {
      QueryResult result = run(WorkspaceIds.require(workspace), scope == null ? QueryScope.none() : scope, sql, params, start, deadline);
      metrics.finished("ok", System.nanoTime() - start, result.rowCount());
      return result;
    } catch (QueryException e) {
      metrics.finished(e.kind().outcome(), System.nanoTime() - start, 0);
      throw e;
    } catch (RuntimeException e) {
      metrics.finished("error", System.nanoTime() - start, 0);
      LOG.error("query for workspace {} failed unexpectedly", workspace, e);
      throw new QueryException(QueryException.Kind.INTERNAL, "the query failed unexpectedly: " + e, e);
    }
  }

  /** The tables under the root with the workspace's row counts and their columns. */
  public List<TableInfo> tables(String workspace) {
    String ws = WorkspaceIds.require(workspace);
    List<TableInfo> out = new ArrayList<>();
    for (String name : tables.names().values()) {
      try {
        WorkspaceTable table = tables.forWorkspace(name, ws);
        List<QueryResult.Column> columns = new ArrayList<>();
        for (ColumnType.Field f : table.schema().fields()) {
          columns.add(new QueryResult.Column(f.name(), DuckTypes.sqlType(f.type())));
        }
        out.add(new TableInfo(name, table.version(), table.liveRows(), columns));
      } catch (QueryException e) {
        LOG.warn("table {} is not queryable: {}", name, e.getMessage());
      }
    }
    return out;
  }

  private QueryResult run(String workspace, QueryScope scope, String sql, Map<String, ?> params, long start, long deadline) {
    Map<String, String> names = tables.names();
    for (String scoped : scope.tables()) {
      if (!names.containsKey(scoped)) {
        throw QueryException.rejected("scope names table " + scoped + ", which does not exist; tables are " + names.values());
      }
    }
    StatementGuard.Checked checked = guard.check(sql, workspace, names);
    SparkSqlTranslator.Translated translated = translator.translate(checked.select(), workspace, params);
    acquireSlot(deadline);
    try {
      List<WorkspaceTable> read = new ArrayList<>();
      for (String table : checked.tables()) {
        read.add(tables.forWorkspace(names.get(table), workspace));
      }
      long bytes = read.stream().mapToLong(WorkspaceTable::bytes).sum();
      if (bytes > config.maxScanBytes()) {
        throw new QueryException(QueryException.Kind.LIMIT_EXCEEDED, "the query reads " + bytes + " bytes of data files, more than maxScanBytes ("
            + config.maxScanBytes() + "); narrow it to fewer tables or ask for a higher limit");
      }
      return execute(workspace, scope, read, translated, start, deadline);
    } finally {
      slots.release();
    }
  }

  private QueryResult execute(String workspace, QueryScope scope, List<WorkspaceTable> read, SparkSqlTranslator.Translated translated,
      long start, long deadline) {
    DuckSession session = null;
    ScheduledFuture<?> timer = null;
    try {
      session = DuckSession.open(config);
      DuckSession running = session;
      timer = watchdog.schedule(running::cancel, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      List<Path> readable = views.install(session, read, workspace, scope);
      session.lock(readable);
      return fetch(session, translated, start, deadline);
    } catch (SQLException e) {
      throw classify(e, session);
    } finally {
      if (timer != null) {
        timer.cancel(false);
      }
      if (session != null) {
        try {
          session.close();
        } catch (SQLException e) {
          LOG.warn("could not close a DuckDB session: {}", e.getMessage());
        }
      }
    }
  }

  private QueryResult fetch(DuckSession session, SparkSqlTranslator.Translated translated, long start, long deadline) throws SQLException {
    try (PreparedStatement statement = session.prepare(translated.sql())) {
      List<Object> parameters = translated.parameters();
      for (int i = 0; i < parameters.size(); i++) {
        statement.setObject(i + 1, parameters.get(i));
      }
      try (ResultSet rs = statement.executeQuery()) {
        ResultSetMetaData meta = rs.getMetaData();
        List<QueryResult.Column> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          columns.add(new QueryResult.Column(meta.getColumnLabel(i), meta.getColumnTypeName(i)));
        }
        List<List<Object>> rows = new ArrayList<>();
        boolean truncated = false;
        while (rs.next()) {
          if (rows.size() == config.maxRows()) {
            truncated = true;
            break;
          }
          if (System.nanoTime() > deadline) {
            session.cancel();
            throw new SQLException("INTERRUPT Error: the query ran out of time while its rows were read");
          }
          List<Object> row = new ArrayList<>(columns.size());
          for (int i = 1; i <= columns.size(); i++) {
            row.add(ResultValues.plain(rs.getObject(i)));
          }
          rows.add(row);
        }
        return new QueryResult(columns, rows, truncated, (System.nanoTime() - start) / 1_000_000);
      }
    }
  }

  private void acquireSlot(long deadline) {
    try {
      if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new QueryException(QueryException.Kind.BUSY, config.maxConcurrentQueries()
            + " queries are already running and none finished within the timeout; try again later");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new QueryException(QueryException.Kind.BUSY, "interrupted while waiting for a query slot");
    }
  }

  /** DuckDB's error type (the text before ' Error:') decides whose fault it is. */
  private QueryException classify(SQLException e, DuckSession session) {
    String message = String.valueOf(e.getMessage()).trim();
    if ((session != null && session.cancelled()) || message.startsWith("INTERRUPT Error")) {
      return new QueryException(QueryException.Kind.TIMEOUT, "the query ran longer than the timeout of "
          + config.timeout().toMillis() + " ms and was cancelled", e);
    }
    String shown = message.length() > 2000 ? message.substring(0, 2000) + "..." : message;
    if (message.startsWith("Permission Error")) {
      // DuckDB's lock caught what the guard let through: refuse, and make the gap visible.
      LOG.warn("DuckDB refused file or setting access that the statement guard allowed: {}", firstLine(message));
      return new QueryException(QueryException.Kind.REJECTED, "access refused: " + shown, e);
    }
    if (message.startsWith("Out of Memory Error")) {
      return new QueryException(QueryException.Kind.LIMIT_EXCEEDED, "the query needs more memory than memoryLimit ("
          + config.memoryLimit() + "): " + firstLine(message), e);
    }
    if (session == null || !session.locked() || message.startsWith("IO Error") || message.startsWith("INTERNAL Error")
        || message.startsWith("FATAL Error")) {
      return new QueryException(QueryException.Kind.INTERNAL, "could not read the workspace's tables: " + shown, e);
    }
    return new QueryException(QueryException.Kind.QUERY_FAILED, shown, e);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
