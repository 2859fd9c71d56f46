package io.meshlake.table.delta;

import io.delta.kernel.Snapshot;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Orders the commits this JVM makes to one table, so that writers of the same table in one process
 * (a Connect worker's tasks) commit one after another on the newest snapshot instead of racing.
 *
 * <p>A racing commit loses, and Kernel then re-reads every winning commit to check for conflicts and
 * cannot hand back a post-commit snapshot, so the loser also reloads the table: with four tasks per
 * table, most commits paid for both. Here a writer commits on the newest snapshot this process
 * committed when every commit since the writer's own snapshot was made here by another writer:
 * those touched none of its files and no {@code txn} of its own, which is exactly what Kernel's
 * conflict check would have concluded. Anything else (a commit from another process, or one by the
 * same writer identity, as when a partition moved between two tasks of this process) leaves the
 * writer on its own snapshot, so Kernel's check runs as before.
 */
final class CommitSequencer {

  private static final Map<String, CommitSequencer> TABLES = new ConcurrentHashMap<>();
  /** Commits remembered per table; a writer whose snapshot is older falls back to Kernel's check. */
  private static final int REMEMBERED = 256;

  /** A commit whose writer is not known may have touched any file: nobody commits past it unchecked. */
  private static final String UNKNOWN = "\u0000unknown";

  private Snapshot newest;
  private final NavigableMap<Long, String> writers = new TreeMap<>();

  static CommitSequencer of(String tablePath) {
    return TABLES.computeIfAbsent(tablePath, p -> new CommitSequencer());
  }

  /**
   * The snapshot {@code writer} should commit on: the newest one committed here when that is safe,
   * else its own. Call with this sequencer's lock held, and report the outcome with {@link #committed}.
   */
  Snapshot base(Snapshot own, String writer) {
    if (writer == null || newest == null || newest.getVersion() <= own.getVersion()) {
      return own;
    }
    for (long v = own.getVersion() + 1; v <= newest.getVersion(); v++) {
      String by = writers.get(v);
      if (by == null || by.equals(UNKNOWN) || by.equals(writer)) {
        return own;
      }
    }
    return newest;
  }

  /**
   * Records that {@code writer} made version {@code version} here; {@code snapshot} is the table at
   * or after it (after it when Kernel had to rebase the commit and the table was reloaded).
   */
  void committed(long version, Snapshot snapshot, String writer) {
    if (newest == null || snapshot.getVersion() > newest.getVersion()) {
      newest = snapshot;
    }
    writers.put(version, writer == null ? UNKNOWN : writer);
    while (writers.size() > REMEMBERED) {
      writers.pollFirstEntry();
    }
  }
}
