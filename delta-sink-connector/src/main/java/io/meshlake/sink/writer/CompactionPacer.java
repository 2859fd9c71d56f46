package io.meshlake.sink.writer;

import java.util.function.LongSupplier;

/**
 * How many rows a merge-on-read self-compaction round may read. Inline, compaction runs on the task
 * thread after a commit, so records arriving meanwhile wait for it; in the background it takes the
 * CPU they need on a small machine. Either way a round is planned to last at most
 * {@code share / (1 - share)} times the time since the previous round ended or the open batch took
 * its first change, whichever is later, at the cost per row the task measured over its own rounds.
 * A partition flushed every second then waits about a second for compaction at most (share 0.5),
 * and a burst of due files is spread over the next flushes; while files are due, compaction takes
 * at most that share of the task's time. Time before a batch's first change (a quiet partition, a
 * paused connector) earns no credit: it would let the first flush after it carry one long round.
 */
public final class CompactionPacer {

  /**
   * Cost of a compacted row before the task has measured its own rounds: ~20 µs per row read
   * (deleted rows included), what 32 MiB rounds took on the project's 2-core benchmark machine
   * under load (benchmarks/RESULTS.md, round M). Too high an estimate only makes the first rounds smaller.
   */
  static final double INITIAL_NANOS_PER_ROW = 20_000;
  /**
   * Rounds smaller than this do not update the estimate: a round's Delta commit (50-150 ms under
   * load) made rounds of 1,000-2,000 rows look like 50-100 µs a row, five times their real cost.
   */
  static final long MIN_ROWS_TO_ESTIMATE = 10_000;

  private final double share;
  private final LongSupplier nanoClock;
  private double nanosPerRow = INITIAL_NANOS_PER_ROW;
  /** Where the time compaction may take its share of begins: the previous round's end or the open batch's first change. */
  private long creditSince;

  /** @param share the largest share of the task's time compaction takes while files are due, in (0, 1) */
  public CompactionPacer(double share, LongSupplier nanoClock) {
    if (!(share > 0 && share < 1)) {
      throw new IllegalArgumentException("the compaction time share must be between 0 and 1 (exclusive), got " + share);
    }
    this.share = share;
    this.nanoClock = nanoClock;
    this.creditSince = nanoClock.getAsLong();
  }

  /** No pacing: every round may read as many rows as the policy's byte bound lets it. */
  public static CompactionPacer unpaced() {
    return new CompactionPacer();
  }

  private CompactionPacer() {
    this.share = Double.NaN;
    this.nanoClock = System::nanoTime;
  }

  private boolean paced() {
    return !Double.isNaN(share);
  }

  /** The task starts taking records now (after its key locator was rebuilt): that time is not compaction's to share. */
  public void started() {
    creditSince = nanoClock.getAsLong();
  }

  /**
   * A batch took its first change. The next round's share is of the time from now (or from a later
   * round's end): e.g. after a minute of pause, the first flush's round is as long as that batch, not a minute.
   */
  public void batchOpened() {
    creditSince = Math.max(creditSince, nanoClock.getAsLong());
  }

  public long now() {
    return nanoClock.getAsLong();
  }

  /** Rows (deleted ones included: they are read too) the next round may read. */
  public long rowBudget() {
    if (!paced()) {
      return Long.MAX_VALUE;
    }
    double allowedNanos = Math.max(0, nanoClock.getAsLong() - creditSince) * share / (1 - share);
    return (long) Math.min(Long.MAX_VALUE / 2.0, allowedNanos / nanosPerRow);
  }

  /** A round that began at {@code startedNanos} read {@code rowsRead} rows and has committed. */
  public void roundDone(long startedNanos, long rowsRead) {
    roundDone(startedNanos, nanoClock.getAsLong(), rowsRead);
  }

  /**
   * A round that worked from {@code startedNanos} to {@code ended} (e.g. on a thread of its own, its
   * commit waiting for the next flush) read {@code rowsRead} rows and has committed.
   */
  public void roundDone(long startedNanos, long ended, long rowsRead) {
    if (rowsRead >= MIN_ROWS_TO_ESTIMATE && ended > startedNanos) {
      nanosPerRow = (nanosPerRow + (double) (ended - startedNanos) / rowsRead) / 2;
    }
    creditSince = Math.max(creditSince, ended);
  }

  /** The current estimate of a compacted row's cost, in nanoseconds (NaN when unpaced). */
  public double nanosPerRow() {
    return paced() ? nanosPerRow : Double.NaN;
  }
}
