package io.meshlake.query;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One query's DuckDB: a fresh in-memory database (nothing is shared between queries or
 * workspaces), sized by the configuration, that can be locked down before the caller's SQL runs and
 * cancelled from another thread when the query's time is up.
 */
final class DuckSession implements AutoCloseable {

  private final Connection connection;
  private final List<Statement> statements = new CopyOnWriteArrayList<>();
  private volatile boolean cancelled;
  private boolean locked;

  private DuckSession(Connection connection) {
    this.connection = connection;
  }

  static DuckSession open(LakeQueryConfig config) throws SQLException {
    Properties props = new Properties();
    props.setProperty("threads", Integer.toString(config.threads()));
    props.setProperty("memory_limit", config.memoryLimit());
    // No spilling: an in-memory database would otherwise write temp files under the working directory.
    props.setProperty("temp_directory", "");
    props.setProperty("autoinstall_known_extensions", "false");
    props.setProperty("autoload_known_extensions", "false");
    // Rows are fetched as they are produced, so a result over the row limit is never built whole.
    props.setProperty("jdbc_stream_results", "true");
    DuckSession session = new DuckSession(DriverManager.getConnection("jdbc:duckdb:", props));
    try {
      session.execute("SET TimeZone = " + DuckTypes.literal(config.timeZone().getId()));
    } catch (SQLException | RuntimeException e) {
      session.close();
      throw e;
    }
    return session;
  }

  Connection connection() {
    return connection;
  }

  /**
   * Locks the database before the caller's SQL: only {@code readable} files can be opened (the files
   * behind the views, which hold nothing but the caller's rows), nothing else on the file system or
   * network, no extension can be installed or loaded, and no setting — this lock included — can be
   * changed or reset afterwards.
   */
  void lock(List<Path> readable) throws SQLException {
    StringJoiner paths = new StringJoiner(", ", "[", "]");
    readable.forEach(p -> paths.add(DuckTypes.literal(p.toString())));
    execute("SET allowed_directories = []");
    execute("SET allowed_paths = " + paths);
    execute("SET enable_external_access = false");
    execute("SET lock_configuration = true");
    locked = true;
  }

  boolean locked() {
    return locked;
  }

  void execute(String sql) throws SQLException {
    try (Statement statement = statement()) {
      statement.execute(sql);
    }
  }

  Statement statement() throws SQLException {
    return track(connection.createStatement());
  }

  PreparedStatement prepare(String sql) throws SQLException {
    return track(connection.prepareStatement(sql));
  }

  private <T extends Statement> T track(T statement) throws SQLException {
    if (cancelled) {
      statement.close();
      throw new SQLException("INTERRUPT Error: the query was cancelled");
    }
    statements.add(statement);
    return statement;
  }

  /** Interrupts whatever this session is running; called by the timeout watchdog. */
  void cancel() {
    cancelled = true;
    for (Statement statement : statements) {
      try {
        statement.cancel();
      } catch (SQLException | RuntimeException ignored) {
        // already closed or finished: nothing left to interrupt
      }
    }
  }

  boolean cancelled() {
    return cancelled;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }
}
