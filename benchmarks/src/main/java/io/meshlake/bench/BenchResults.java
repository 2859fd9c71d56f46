package io.meshlake.bench;

import java.util.ArrayList;
import java.util.List;

/** Every figure of one run, as measured; {@link ResultsReport} renders it. Null means "not measured in this run". */
final class BenchResults {

  /** Where the run happened. */
  record Machine(String cpu, int cores, long memoryBytes, String jdk, String os, String disk, double loadAverageAtStart) {}

  /** What was produced. */
  record Workload(long initialIssues, long changeEvents, long initialRecords, long changeRecords, long swaps, long duplicates,
      double averageValueBytes, long issuesCreated, long liveIssues, long totalRecords) {}

  /** Events over a window, and the ratio to the same run's baseline. */
  /**
   * A stage's throughput over {@code millis} from its first record read; {@code resumeMillis} is the time
   * from resuming its connector to that read (null where nothing was resumed), outside the window.
   */
  record Throughput(long events, long millis, double eventsPerSecond, Double ratioToBaseline, Long resumeMillis) {

    Throughput(long events, long millis, double eventsPerSecond, Double ratioToBaseline) {
      this(events, millis, eventsPerSecond, ratioToBaseline, null);
    }
  }

  /**
   * Batch times of a connector in a window. {@code mergeMedianMillis}: the median over the batches of plan +
   * log, the batch's own merge without the self-compaction after it (null for batches without parts).
   */
  record BatchStats(int count, long minMillis, long medianMillis, long p90Millis, long maxMillis, double meanMillis, double meanEvents,
      SinkCommitLog.Parts medianParts, Long mergeMedianMillis) {}

  /**
   * The initial load: producing it, the streams topology catching up (from the first insert produced),
   * and each connector alone taking it from deployment (connector start included) to the table holding it.
   */
  record InitialLoad(long produceMillis, long streamsMillis, Throughput raw, List<ModeThroughput> merges) {}

  /**
   * A merge connector's initial load; {@code settle}: its self-compaction of the loaded files afterwards,
   * until nothing was due, with the connector idle (null when the mode has no self-compaction to wait for).
   */
  record ModeThroughput(String mode, Throughput throughput, CompactionSettle settle) {}

  /** Self-compaction after a bulk load: how long until nothing was due, its rounds and files, the table then. */
  record CompactionSettle(long millis, long rounds, long files, TableShape tableAfter) {}

  /** One merge mode's change-stream figures. */
  record Merge(String mode, boolean available, String unavailableReason, Throughput throughput, long modelRecords,
      BatchStats fullBatches, BatchStats allBatches, SinkMetricsProbe.SinkTotals sink, Double rowsRewrittenPerChange,
      DeltaCommits deltaCommits, HeapProbe.Peaks heap, TableShape tableAfter) {}

  /**
   * A table's live files when a window ended: rows in them, and rows their deletion vectors mark
   * (what self-compaction has not purged yet; a reader skips them).
   */
  record TableShape(long files, long rows, long deletedRows) {
    double deletedShare() {
      return rows == 0 ? 0 : (double) deletedRows / rows;
    }
  }

  /** Commits that appeared in a table's log during a window; maintenance ones record no offset (compaction). */
  record DeltaCommits(int commits, int maintenance, long filesAdded, long filesRemoved) {}

  /** The freshness probe of one merge mode. */
  record Freshness(String mode, double targetRate, double achievedRate, long produced, long modelRecords, long visible,
      long notVisible, Long p50Millis, Long p90Millis, Long p99Millis, Long maxMillis, long flushIntervalMs,
      BatchStats batches, Stage streams, Stage sink, List<FreshnessProbe.Slice> timeline) {}

  /** One stage's share of the freshness latency: events measured and their p50 / p99 (ms). */
  record Stage(long events, Long p50Millis, Long p99Millis) {}

  /** The raw table against the produced records. */
  record RawCheck(long produced, long rows, long distinctCoordinates, long missing, long duplicates, long unexpected,
      boolean digestMatches, List<String> sample) {
    boolean ok() {
      return rows == produced && distinctCoordinates == produced && missing == 0 && duplicates == 0 && unexpected == 0 && digestMatches;
    }
  }

  /** A refined table against the oracle. */
  record RefinedCheck(String mode, long expectedRows, long rows, long missing, long unexpected, long deletedButPresent,
      long wrongVersion, long wrongContent, long duplicateRows, List<String> sample) {
    boolean ok() {
      return rows == expectedRows && missing == 0 && unexpected == 0 && deletedButPresent == 0 && wrongVersion == 0
          && wrongContent == 0 && duplicateRows == 0;
    }
  }

  record Correctness(RawCheck raw, List<RefinedCheck> refined, long deadLetters, long scanMillis) {
    boolean ok() {
      return (raw == null || raw.ok()) && refined.stream().allMatch(RefinedCheck::ok) && deadLetters == 0;
    }
  }

  /** Heap of the writer JVM, overall and per measured phase. */
  record Heap(String maxHeap, HeapProbe.Peaks overall, List<NamedPeaks> phases, boolean outOfMemory) {}

  record NamedPeaks(String phase, long windowMillis, HeapProbe.Peaks peaks) {}

  /** A phase's time window, for heap and profile attribution; {@code writerClass} null for phases outside the worker. */
  record Window(String name, long fromMillis, long toMillis, String writerClass, double loadAverageAtEnd) {}

  Machine machine;
  BenchConfig config;
  String command;
  long startedAtMillis;
  long wallMillis;
  Workload workload;
  InitialLoad initialLoad;
  /** The baseline pass every ratio divides by: the median of {@link #baselinePasses}. */
  BaselineConsumer.Result baseline;
  /** Every pass of the baseline consumer, in the order they ran. */
  List<BaselineConsumer.Result> baselinePasses = List.of();
  Throughput baselineThroughput;
  Throughput raw;
  BatchStats rawBatches;
  final List<Merge> merges = new ArrayList<>();
  final List<Freshness> freshness = new ArrayList<>();
  Correctness correctness;
  Heap heap;
  final List<Window> windows = new ArrayList<>();
  final List<ProfileSummary.Profile> profiles = new ArrayList<>();
  List<String> workerErrors = List.of();
  String failure;

  boolean ok() {
    return failure == null && correctness != null && correctness.ok();
  }
}
