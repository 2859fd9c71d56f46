package io.meshlake.sink.writer;

import io.meshlake.table.delta.DeltaTable;
import java.util.Map;
import java.util.SortedMap;

/**
 * How a batch of per-entity changes is merged into a table's files. Implementations only read and
 * replace files the partition's writer owns (one owner per data file).
 */
public interface MergeStrategy {

  /**
   * Plans the commit for the batch: the files to add and remove.
   *
   * @param ops per workspace, the newest change of each entity, sorted by resource ARI
   */
  DeltaTable.Changes plan(OwnedTable table, MergeLayout layout, Map<String, SortedMap<String, GroupOp>> ops);

  /** Counts of the last plan, for metrics and logs. */
  MergeStats lastStats();

  /** What a plan did. */
  record MergeStats(long rowsRead, long rowsWritten, long filesRewritten, long opsApplied, long opsStale) {}
}
