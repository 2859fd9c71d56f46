package io.meshlake.sink.writer;

import io.delta.kernel.Snapshot;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableFile;
import io.meshlake.table.schema.ColumnType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Delta table as one Kafka partition's writer sees it: how far that partition is durably written
 * (the {@code txn} version for its appId) and the data files it owns (tagged with its appId), so a
 * merge never reads or rewrites another writer's files.
 */
public final class OwnedTable {

  private static final Logger LOG = LoggerFactory.getLogger(OwnedTable.class);
  public static final String OWNER_TAG = "meshlake.owner";

  private final DeltaTable table;
  private final String appId;
  private final Map<String, ColumnType.Primitive> boundColumns;
  private final int maxCommitAttempts;
  private final Duration commitBackoff;
  private Snapshot snapshot;
  private long committedOffset;
  private Map<String, List<TableFile>> ownedFiles;

  public OwnedTable(DeltaTable table, String appId, Map<String, ColumnType.Primitive> boundColumns, boolean trackFiles,
      int maxCommitAttempts, Duration commitBackoff) {
    this.table = table;
    this.appId = appId;
    this.boundColumns = Map.copyOf(boundColumns);
    this.maxCommitAttempts = maxCommitAttempts;
    this.commitBackoff = commitBackoff;
    reload(trackFiles);
  }

  private void reload(boolean trackFiles) {
    snapshot = table.latest();
    committedOffset = table.transactionVersion(snapshot, appId).orElse(-1L);
    if (trackFiles) {
      ownedFiles = new HashMap<>();
      for (TableFile f : table.files(snapshot, boundColumns, f -> appId.equals(f.tags().get(OWNER_TAG)))) {
        ownedFiles.computeIfAbsent(f.partition(TableLayout.WORKSPACE), w -> new ArrayList<>()).add(f);
      }
    }
  }

  public DeltaTable table() {
    return table;
  }

  public String appId() {
    return appId;
  }

  /** The last Kafka offset of this partition durably in the table, or -1 when none. */
  public long committedOffset() {
    return committedOffset;
  }

  /** The live files this partition's writer owns in a workspace. */
  public List<TableFile> ownedFiles(String workspace) {
    if (ownedFiles == null) {
      throw new IllegalStateException("files are not tracked for " + table.path());
    }
    return ownedFiles.getOrDefault(workspace, List.of());
  }

  public Set<String> workspacesWithFiles() {
    return ownedFiles == null ? Set.of() : ownedFiles.keySet();
  }

  public Map<String, String> ownerTags() {
    return Map.of(OWNER_TAG, appId);
  }

  /**
   * Commits changes planned by {@code plan} together with {@code txn(appId, lastOffset)}. A
   * conflict with a maintenance writer is retried with backoff (re-planning on a fresh snapshot); a
   * concurrent commit for this appId means another task now owns the partition, and is fatal here
   * so the task restarts from what the table says.
   */
  public void commit(Function<OwnedTable, MergeStrategy.Plan> planner, long lastOffset) {
    commit(planner, Optional.of(appId), lastOffset);
  }

  /**
   * Commits a rewrite that changes no rows (self-compaction). It carries no {@code txn}: Kernel
   * requires a partition's txn version to increase, and no offset moved. A stale owner's rewrite
   * still cannot win: it removes files the new owner has replaced, a delete-delete conflict.
   */
  public void commitMaintenance(Function<OwnedTable, MergeStrategy.Plan> planner) {
    commit(planner, Optional.empty(), committedOffset);
  }

  private void commit(Function<OwnedTable, MergeStrategy.Plan> planner, Optional<String> txnAppId, long lastOffset) {
    for (int attempt = 1; ; attempt++) {
      MergeStrategy.Plan plan = planner.apply(this);
      DeltaTable.Changes changes = plan.changes();
      if (txnAppId.isEmpty() && changes.isEmpty()) {
        plan.onCommit().accept(new DeltaTable.Committed(snapshot, List.of())); // a rewrite left with nothing to change
        return;
      }
      try {
        DeltaTable.Committed committed = table.commit(snapshot, changes, appId, txnAppId, lastOffset, boundColumns);
        snapshot = committed.snapshot();
        committedOffset = lastOffset;
        if (ownedFiles != null) {
          List<TableFile> gone = new ArrayList<>(changes.removes());
          changes.deletionVectors().forEach(u -> gone.add(u.file()));
          for (TableFile removed : gone) {
            List<TableFile> files = ownedFiles.get(removed.partition(TableLayout.WORKSPACE));
            if (files != null) {
              files.removeIf(f -> f.path().equals(removed.path()));
            }
          }
          for (TableFile added : committed.added()) {
            ownedFiles.computeIfAbsent(added.partition(TableLayout.WORKSPACE), w -> new ArrayList<>()).add(added);
          }
        }
        plan.onCommit().accept(committed);
        return;
      } catch (ConcurrentTransactionException fenced) {
        throw new IllegalStateException("another writer committed for " + appId + " on " + table.path()
            + "; this task no longer owns the partition and restarts from the table's txn", fenced);
      } catch (ConcurrentWriteException conflict) {
        if (attempt >= maxCommitAttempts) {
          throw new IllegalStateException("commit to " + table.path() + " still conflicts after " + attempt + " attempts", conflict);
        }
        LOG.warn("commit to {} conflicts with a concurrent writer (attempt {}/{}): {}; re-planning",
            table.path(), attempt, maxCommitAttempts, conflict.toString());
        sleep(commitBackoff.multipliedBy(attempt));
        reload(ownedFiles != null);
        if (txnAppId.isPresent() && committedOffset >= lastOffset) {
          throw new IllegalStateException("the table already records offset " + committedOffset + " for " + appId);
        }
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while backing off a commit", e);
    }
  }
}
