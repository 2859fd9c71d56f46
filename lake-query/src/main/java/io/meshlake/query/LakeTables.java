package io.meshlake.query;

import io.delta.kernel.Snapshot;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.KernelTypes;
import io.meshlake.table.delta.TableFile;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Delta tables under a table root and, per query, one workspace's live data files of a table's
 * current snapshot. Files come from the snapshot's log (never a directory listing, which also holds
 * removed files) and only from the partition {@code workspace_id=<workspace>}.
 */
final class LakeTables {

  static final String WORKSPACE_COLUMN = "workspace_id";

  private static final Logger LOG = LoggerFactory.getLogger(LakeTables.class);
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  /** A workspace's view of a table at one snapshot. */
  record WorkspaceTable(String name, DeltaTable table, long version, TableSchema schema, List<DataFile> files) {
    long bytes() {
      return files.stream().mapToLong(f -> f.file().sizeBytes()).sum();
    }

    long liveRows() {
      return files.stream().mapToLong(f -> f.file().liveRecords()).sum();
    }
  }

  /** A live data file with its local path. */
  record DataFile(Path path, TableFile file) {}

  private final Path root;
  private final LocalTableStore store;
  private final Map<String, DeltaTable> opened = new ConcurrentHashMap<>();

  LakeTables(Path root) {
    this.root = root.toAbsolutePath().normalize();
    this.store = new LocalTableStore(this.root);
  }

  Path root() {
    return root;
  }

  /** Table names (as the directories spell them), keyed by lower-case name. */
  Map<String, String> names() {
    Map<String, String> names = new TreeMap<>();
    try (Stream<Path> dirs = Files.list(root)) {
      dirs.filter(d -> Files.isDirectory(d.resolve("_delta_log"))).forEach(d -> {
        String name = d.getFileName().toString();
        if (!TABLE_NAME.matcher(name).matches()) {
          LOG.warn("ignoring table directory {}: its name is not a plain SQL name", d);
        } else if (names.putIfAbsent(name.toLowerCase(Locale.ROOT), name) != null) {
          LOG.warn("ignoring table directory {}: another table differs only in case", d);
        }
      });
    } catch (IOException e) {
      throw new QueryException(QueryException.Kind.INTERNAL, "could not list the tables under " + root + ": " + e.getMessage(), e);
    }
    return names;
  }

  /** The table's current snapshot, restricted to the workspace's files. */
  WorkspaceTable forWorkspace(String name, String workspace) {
    DeltaTable table = open(name);
    Snapshot snapshot;
    try {
      snapshot = table.latest();
    } catch (TableNotFoundException e) {
      opened.remove(name);
      throw QueryException.rejected("table " + name + " does not exist (any more)");
    } catch (RuntimeException e) {
      throw new QueryException(QueryException.Kind.INTERNAL, "could not read the log of table " + name + ": " + e.getMessage(), e);
    }
    TableSchema schema = KernelTypes.tableSchema(snapshot.getSchema());
    List<String> partitions = snapshot.getPartitionColumnNames();
    if (!partitions.equals(List.of(WORKSPACE_COLUMN))) {
      // Row-level security rests on one partition per workspace; other layouts are not read.
      throw new QueryException(QueryException.Kind.UNSUPPORTED,
          "table " + name + " is partitioned by " + partitions + "; lake-query reads tables partitioned by [workspace_id] only");
    }
    List<DataFile> files = new ArrayList<>();
    Path tableDir = LocalTableStore.toPath(table.path()).toAbsolutePath().normalize();
    try {
      for (TableFile file : table.files(snapshot, Map.of(), f -> workspace.equals(f.partition(WORKSPACE_COLUMN)))) {
        files.add(new DataFile(localPath(name, tableDir, table.root(), file), file));
      }
    } catch (UncheckedIOException e) {
      throw new QueryException(QueryException.Kind.INTERNAL, "could not list the files of table " + name + ": " + e.getMessage(), e);
    }
    return new WorkspaceTable(name, table, snapshot.getVersion(), schema, List.copyOf(files));
  }

  private DeltaTable open(String name) {
    return opened.computeIfAbsent(name, n -> {
      try {
        return DeltaTable.open(store, n);
      } catch (TableNotFoundException e) {
        throw QueryException.rejected("table " + n + " does not exist");
      } catch (RuntimeException e) {
        throw new QueryException(QueryException.Kind.INTERNAL, "could not open table " + n + ": " + e.getMessage(), e);
      }
    });
  }

  /**
   * The local path of a log entry's file: relative paths resolve against the table (they are
   * URI-encoded), and the result must stay inside the table directory and be free of glob
   * characters, because DuckDB would expand those into other files.
   */
  private static Path localPath(String table, Path tableDir, URI tableRoot, TableFile file) {
    Path path;
    try {
      URI uri = tableRoot.resolve(new URI(file.path()));
      if (!"file".equals(uri.getScheme())) {
        throw new QueryException(QueryException.Kind.UNSUPPORTED,
            "table " + table + " has a file outside the local file system (" + uri.getScheme() + "); lake-query reads local tables only");
      }
      path = Path.of(uri).toAbsolutePath().normalize();
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new QueryException(QueryException.Kind.INTERNAL, "table " + table + " lists an unreadable file path '" + file.path() + "'", e);
    }
    if (!path.startsWith(tableDir)) {
      throw new QueryException(QueryException.Kind.INTERNAL, "table " + table + " lists a file outside its directory: " + file.path());
    }
    String s = path.toString();
    if (s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0) {
      throw new QueryException(QueryException.Kind.INTERNAL, "table " + table + " lists a file whose path has glob characters: " + file.path());
    }
    return path;
  }
}
