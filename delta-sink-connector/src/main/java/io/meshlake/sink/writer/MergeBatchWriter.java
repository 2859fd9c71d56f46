package io.meshlake.sink.writer;

import io.meshlake.sink.model.RowFunction;
import io.meshlake.sink.schema.ProtobufFlattener;
import io.meshlake.sink.schema.SourceRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Merges a partition's events into a refined table through its model: each event becomes the rows
 * its entity now has in the model (none for a tombstone or a filtered-out entity), duplicates and
 * older versions within the batch collapse to the newest, and the {@link MergeStrategy} applies them
 * with the last-write-wins guard against what the table holds.
 */
public final class MergeBatchWriter implements BatchWriter {

  private final OwnedTable table;
  private final MergeLayout layout;
  private final RowFunction model;
  private final Map<String, ProtobufFlattener> flatteners = new HashMap<>();
  private final MergeStrategy strategy;
  /** The open batch: per workspace, the newest event's rows per key (a merge writes once it has all of it). */
  private Map<String, SortedMap<String, GroupOp>> batch = new HashMap<>();
  private CommitTimes lastTimes = new CommitTimes(0, 0, 0);
  /** Events given to the open batch since the last commit or discard. */
  private long staged;

  /**
   * Where the last commit's time went: planning it (closing the batch's files, locating and marking
   * replaced rows, writing deletion vectors), writing it to the Delta log (checkpoints are written in
   * the background), and the self-compaction it carried (committing a round finished in the
   * background, or running one inline).
   */
  public record CommitTimes(long planMillis, long logMillis, long compactionMillis) {}

  public MergeBatchWriter(OwnedTable table, MergeLayout layout, RowFunction model, MergeStrategy strategy) {
    this.table = table;
    this.layout = layout;
    this.model = model;
    this.strategy = strategy;
    strategy.open(table, layout);
  }

  @Override
  public long resumeOffset() {
    return table.committedOffset() + 1;
  }

  public boolean pending(SinkEvent event) {
    return event.offset() > table.committedOffset();
  }

  @Override
  public boolean holdsDecodedEvents() {
    return !strategy.stagesOnArrival();
  }

  /**
   * Turns the event into its table rows now: a strategy that stages changes on arrival writes them
   * at once; otherwise the batch keeps only the newest event's rows per key. Either way the decoded
   * event is garbage at once.
   */
  @Override
  public void add(SinkEvent event) {
    if (!pending(event)) {
      return;
    }
    staged++;
    if (strategy.stagesOnArrival()) {
      strategy.stage(table, layout, toOp(event));
      return;
    }
    SortedMap<String, GroupOp> workspaceOps = batch.computeIfAbsent(event.workspace(), w -> new TreeMap<>());
    GroupOp previous = workspaceOps.get(event.resourceAri());
    if (previous != null && !event.newerThan(previous.generation(), previous.version())) {
      return;
    }
    workspaceOps.put(event.resourceAri(), toOp(event));
  }

  @Override
  public void discard() {
    staged = 0;
    batch.clear();
    strategy.discard();
  }

  @Override
  public void commit(long lastOffset) {
    if (lastOffset <= table.committedOffset()) {
      discard();
      return;
    }
    long[] planNanos = {0};
    long started = System.nanoTime();
    try {
      Map<String, SortedMap<String, GroupOp>> ops = batch;
      table.commit(t -> {
        long planStarted = System.nanoTime();
        try {
          return strategy.plan(t, layout, ops);
        } finally {
          planNanos[0] += System.nanoTime() - planStarted;
        }
      }, lastOffset);
    } finally {
      batch = new HashMap<>();
      strategy.discard(); // after a commit attempt, only what is still in memory
    }
    long committed = System.nanoTime();
    staged = 0;
    maintain(false);
    lastTimes = new CommitTimes(planNanos[0] / 1_000_000, (committed - started - planNanos[0]) / 1_000_000,
        (System.nanoTime() - committed) / 1_000_000);
  }

  /**
   * Self-compaction is the owner's, on its own files: no other writer needed. It runs only while no
   * batch is open (right after a commit, or while the partition is idle): a round finished in the
   * background is committed, and the next one starts (inline: runs and is committed at once).
   */
  private void maintain(boolean quiet) {
    if (strategy.maintenanceReady()) {
      table.commitMaintenance(t -> strategy.maintenance(t, layout));
    }
    strategy.scheduleMaintenance(table, layout, quiet);
    if (strategy.maintenanceReady()) {
      table.commitMaintenance(t -> strategy.maintenance(t, layout));
    }
  }

  /**
   * Self-compaction for a partition with no open batch, e.g. after a bulk load while no change
   * arrives: without it, files due at the last flush would wait for the next event, and a quiet
   * partition's time goes to files that are nearly due. Does nothing while the partition has events staged.
   */
  public void maintainIdle() {
    if (staged == 0) {
      maintain(true);
    }
  }

  /** Whether self-compaction has files due (with no events staged: for a quiet partition) or a round under way. */
  public boolean compactionPending() {
    return strategy.maintenancePending(staged == 0);
  }

  public CommitTimes lastTimes() {
    return lastTimes;
  }

  /** The table this writer merges into. */
  public io.meshlake.table.delta.DeltaTable table() {
    return table.table();
  }

  public MergeStrategy.CompactionStats compactionStats() {
    return strategy.compactionStats();
  }

  public void close() {
    strategy.close();
  }

  GroupOp toOp(SinkEvent event) {
    List<Object[]> rows = new ArrayList<>(1);
    if (!event.tombstone()) {
      ProtobufFlattener flattener = flatteners.computeIfAbsent(event.manifest().entity(),
          name -> new ProtobufFlattener(event.entity().getDescriptorForType()));
      Object[] envelope = SourceRow.envelope(event.workspace(), event.record().getWorkspaceId().getValue(),
          event.resourceAri(), event.record().getEntityType(), event.version(), event.generation(), false);
      Object[] source = SourceRow.row(envelope, flattener.flatten(event.entity()));
      model.apply(source, row -> rows.add(layout.table().fileRow(row)));
    }
    return new GroupOp(event.resourceAri(), event.workspace(), event.generation(), event.version(), rows);
  }

  public MergeStrategy.MergeStats lastStats() {
    return strategy.lastStats();
  }
}
