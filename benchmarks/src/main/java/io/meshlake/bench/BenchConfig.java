package io.meshlake.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import io.meshlake.sink.config.DeltaSinkConfig;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One run's settings, validated once, here: every problem is reported together, naming the option.
 *
 * @param initialIssues N, the initial load
 * @param changeEvents U, the change stream (before disorder adds duplicates)
 * @param mergeModes merge modes to measure, in order; modes the sink refuses are reported as unavailable
 * @param phases measured phases; the initial load and the correctness check always run
 * @param dataDir the run's broker logs, tables, worker logs and results (created; must be empty or absent)
 * @param produceRate the freshness probe's fixed produce rate, events/s
 * @param freshnessSeconds how long the freshness probe produces
 * @param freshnessFlushMs the Merge connector's flush.interval.ms during the freshness probe
 * @param flushIntervalMs flush.interval.ms of the throughput phases
 * @param flushMaxRecords flush.max.records of the Merge connectors (the batch size)
 * @param tasks tasks.max of every connector
 * @param streamThreads num.stream.threads of the streams topology
 * @param sinkSettings more settings of every sink connector (the sink's own keys)
 * @param streamsSettings more Kafka Streams settings of the topology (its {@code streams.*} settings, without the prefix)
 * @param workerHeap -Xmx of the Connect worker JVM (the writer)
 * @param workerJvmOptions more options of the Connect worker JVM (garbage collector settings, say)
 * @param jfr record the worker with JFR and summarize the top frames per phase
 * @param phaseTimeout the longest any wait may take before the run fails
 * @param drainTimeout how long the freshness probe waits for the last event to become visible
 * @param baselinePasses how many times the baseline consumer reads the change stream; the median pass is the baseline
 * @param keepData keep the data directory after a successful run
 */
public record BenchConfig(
    long initialIssues,
    long changeEvents,
    List<String> mergeModes,
    Set<Phase> phases,
    Path dataDir,
    double produceRate,
    int freshnessSeconds,
    long freshnessFlushMs,
    long flushIntervalMs,
    int flushMaxRecords,
    int tasks,
    int streamThreads,
    Map<String, String> streamsSettings,
    Map<String, String> sinkSettings,
    String workerHeap,
    List<String> workerJvmOptions,
    boolean jfr,
    Duration phaseTimeout,
    Duration drainTimeout,
    int baselinePasses,
    boolean keepData) {

  /** The measured phases. */
  public enum Phase {
    BASELINE, RAW, MERGE, FRESHNESS;

    static Phase parse(String name) {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    }
  }

  /** The merge modes the sink declares (its merge.mode setting); which ones it accepts is found out at run time. */
  public static final List<String> KNOWN_MERGE_MODES = List.of("copy_on_write", "merge_on_read");
  private static final Pattern HEAP = Pattern.compile("\\d+[mMgG]");
  static final int MAX_BASELINE_PASSES = 9;

  public BenchConfig {
    mergeModes = List.copyOf(mergeModes);
    workerJvmOptions = List.copyOf(workerJvmOptions);
    streamsSettings = Map.copyOf(streamsSettings);
    sinkSettings = Map.copyOf(sinkSettings);
    phases = phases.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(phases));
    List<String> problems = problems(initialIssues, changeEvents, mergeModes, phases, dataDir, produceRate, freshnessSeconds,
        freshnessFlushMs, flushIntervalMs, flushMaxRecords, tasks, streamThreads, streamsSettings, sinkSettings, workerHeap, workerJvmOptions, phaseTimeout,
        drainTimeout, baselinePasses);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid benchmark settings:\n  " + String.join("\n  ", problems));
    }
  }

  private static List<String> problems(long n, long u, List<String> modes, Set<Phase> phases, Path dataDir, double rate,
      int freshnessSeconds, long freshnessFlushMs, long flushIntervalMs, int flushMaxRecords, int tasks, int streamThreads, Map<String, String> streamsSettings, Map<String, String> sinkSettings, String heap, List<String> jvmOptions,
      Duration phaseTimeout, Duration drainTimeout, int baselinePasses) {
    List<String> p = new ArrayList<>();
    if (n < 1) {
      p.add("--n must be at least 1 (the initial load), got " + n);
    }
    if (u < 1) {
      p.add("--u must be at least 1 (the change stream), got " + u);
    }
    double freshnessEvents = phases.contains(Phase.FRESHNESS) ? rate * freshnessSeconds * Math.max(1, modes.size()) : 0;
    if (n + 0.2 * (u + freshnessEvents) >= WorkloadGenerator.MAX_ISSUES) {
      p.add("--n plus the inserts of the change stream must stay below " + WorkloadGenerator.MAX_ISSUES + " issues");
    }
    if (modes.isEmpty() && (phases.contains(Phase.MERGE) || phases.contains(Phase.FRESHNESS))) {
      p.add("--merge-modes is empty but the merge or freshness phase is selected; give at least one of " + KNOWN_MERGE_MODES);
    }
    for (String mode : modes) {
      if (!KNOWN_MERGE_MODES.contains(mode)) {
        p.add("--merge-modes: unknown mode '" + mode + "'; the sink's modes are " + KNOWN_MERGE_MODES);
      }
    }
    if (new LinkedHashSet<>(modes).size() != modes.size()) {
      p.add("--merge-modes lists a mode twice: " + modes);
    }
    if (dataDir == null) {
      p.add("--data-dir is required");
    }
    if (!(rate > 0) || rate > 1_000_000) {
      p.add("--produce-rate must be in (0, 1000000] events/s, got " + rate);
    }
    if (freshnessSeconds < 1) {
      p.add("--freshness-seconds must be at least 1, got " + freshnessSeconds);
    }
    if (freshnessFlushMs < 10) {
      p.add("--freshness-flush-ms must be at least 10 (the sink's minimum flush.interval.ms), got " + freshnessFlushMs);
    }
    if (flushIntervalMs < 10) {
      p.add("--flush-interval-ms must be at least 10 (the sink's minimum), got " + flushIntervalMs);
    }
    if (flushMaxRecords < 1) {
      p.add("--flush-max-records must be at least 1, got " + flushMaxRecords);
    }
    if (tasks < 1 || tasks > PipelineHarness.PARTITIONS) {
      p.add("--tasks must be 1.." + PipelineHarness.PARTITIONS + " (the topics have " + PipelineHarness.PARTITIONS + " partitions), got " + tasks);
    }
    for (String key : streamsSettings.keySet()) {
      if (key.isBlank() || key.startsWith("streams.")) {
        p.add("--streams-setting takes a Kafka Streams key without the 'streams.' prefix (commit.interval.ms=100), got '" + key + "'");
      }
    }
    for (String key : sinkSettings.keySet()) {
      // consumer.override.*: the task's consumer, which Connect configures per connector.
      if (!DeltaSinkConfig.CONFIG_DEF.names().contains(key) && !key.startsWith("consumer.override.")) {
        p.add("--sink-setting: '" + key + "' is not a setting of the sink nor a consumer.override.* of its consumer"
            + " (see delta-sink-connector/README.md)");
      }
    }
    if (streamThreads < 1 || streamThreads > PipelineHarness.PARTITIONS) {
      p.add("--stream-threads must be 1.." + PipelineHarness.PARTITIONS + " (a thread beyond one per partition would idle), got " + streamThreads);
    }
    if (heap == null || !HEAP.matcher(heap).matches()) {
      p.add("--worker-heap must look like 1g or 768m, got " + heap);
    }
    for (String option : jvmOptions) {
      if (!option.startsWith("-")) {
        p.add("--worker-jvm-options: '" + option + "' is not a JVM option (they start with -)");
      } else if (option.startsWith("-Xmx") || option.startsWith("-XX:MaxHeapSize")) {
        p.add("--worker-jvm-options: set the worker's heap with --worker-heap, not " + option);
      }
    }
    if (phaseTimeout == null || phaseTimeout.isNegative() || phaseTimeout.isZero()) {
      p.add("--phase-timeout must be positive");
    }
    if (drainTimeout == null || drainTimeout.isNegative() || drainTimeout.isZero()) {
      p.add("--drain-timeout must be positive");
    }
    if (baselinePasses < 1 || baselinePasses > MAX_BASELINE_PASSES) {
      p.add("--baseline-passes must be 1.." + MAX_BASELINE_PASSES + " (an odd number gives a middle pass), got " + baselinePasses);
    }
    return p;
  }

  boolean runs(Phase phase) {
    return phases.contains(phase);
  }

  /** Whether Merge connectors are deployed at all. */
  boolean merges() {
    return runs(Phase.MERGE) || runs(Phase.FRESHNESS);
  }

  /** Events the freshness probe produces per merge mode. */
  long freshnessEvents() {
    return Math.round(produceRate * freshnessSeconds);
  }

  /** The small run the test phase executes: correctness only, every phase, a couple of minutes. */
  public static BenchConfig smoke(Path dataDir) {
    return new BenchConfig(2_000, 3_000, KNOWN_MERGE_MODES, EnumSet.allOf(Phase.class), dataDir, 500, 4, 500, 1_000, 1_000,
        2, 1, Map.of(), Map.of(), "512m", List.of(), false, Duration.ofMinutes(4), Duration.ofMinutes(2), 3, false);
  }
}
