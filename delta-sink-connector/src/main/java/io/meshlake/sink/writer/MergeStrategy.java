package io.meshlake.sink.writer;

import io.meshlake.table.delta.DeltaTable;
import java.util.Map;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * How a batch of per-entity changes is merged into a table's files. Implementations only read and
 * replace files the partition's writer owns (one owner per data file). A plan's in-memory effects
 * (e.g. where entities now live) are applied by its {@code onCommit} only once the commit succeeded.
 */
public interface MergeStrategy extends AutoCloseable {

  /** Prepares for a partition's table (e.g. rebuilds what it knows about the owned files). */
  default void open(OwnedTable table, MergeLayout layout) {}

  /**
   * Plans the commit for the batch: the files to add and remove, and deletion vectors to grow.
   *
   * @param ops per workspace, the newest change of each entity, sorted by resource ARI
   */
  Plan plan(OwnedTable table, MergeLayout layout, Map<String, SortedMap<String, GroupOp>> ops);

  /**
   * Whether the strategy takes each change as it arrives ({@link #stage}) and writes it at once,
   * rather than a whole batch in {@link #plan}; then {@code plan} commits what was staged.
   */
  default boolean stagesOnArrival() {
    return false;
  }

  /** Applies one change to the open batch; only for a strategy that {@link #stagesOnArrival()}. */
  default void stage(OwnedTable table, MergeLayout layout, GroupOp op) {
    throw new UnsupportedOperationException(getClass().getSimpleName() + " merges whole batches");
  }

  /** Drops the open batch's staged work (the batch is discarded, or its commit ended either way). */
  default void discard() {}

  /**
   * Starts work between flushes (self-compaction) if some is due and none is under way: on a
   * thread of its own, or at once when the strategy compacts inline. Called after each commit, and
   * while the partition is {@code quiet} (no batch open, no records arriving), when more may be due.
   */
  default void scheduleMaintenance(OwnedTable table, MergeLayout layout, boolean quiet) {}

  /** Whether work between flushes is due ({@code quiet}: for a quiet partition) or under way, so an idle partition should come back for it. */
  default boolean maintenancePending(boolean quiet) {
    return false;
  }

  /** Whether started work between flushes has finished and waits to be committed. */
  default boolean maintenanceReady() {
    return false;
  }

  /** Plans the commit of that work; called only when {@link #maintenanceReady()}, and again if its commit must be retried. */
  default Plan maintenance(OwnedTable table, MergeLayout layout) {
    return Plan.of(io.meshlake.table.delta.DeltaTable.Changes.of(java.util.List.of(), java.util.List.of()));
  }

  /** Counts of the last plan, for metrics and logs. */
  MergeStats lastStats();

  /** Cumulative self-compaction progress. */
  default CompactionStats compactionStats() {
    return new CompactionStats(0, 0, 0, 0, 0);
  }

  @Override
  default void close() {}

  /** A commit to make, and what to update in memory once it is made. */
  record Plan(DeltaTable.Changes changes, Consumer<DeltaTable.Committed> onCommit) {
    public static Plan of(DeltaTable.Changes changes) {
      return new Plan(changes, committed -> {});
    }
  }

  /** What a plan did. */
  record MergeStats(long rowsRead, long rowsWritten, long filesRewritten, long opsApplied, long opsStale) {}

  /** Self-compaction so far; {@code failedRounds} ended in an error and left the table as it was. */
  record CompactionStats(long compactions, long filesCompacted, long rowsRewritten, long deletedRowsPurged, long failedRounds) {}
}
