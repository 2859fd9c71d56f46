package io.meshlake.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code java -jar benchmarks/target/benchmarks.jar [options]}: runs the standard workload end to end and
 * writes {@code results.md} and {@code results.json}. Exit code 0 when the correctness check passed, 1 when
 * it found a mismatch or the pipeline failed, 2 for bad options.
 */
@Command(name = "meshlake-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs the standard workload (bench/WORKLOAD.md) through the real pipeline: baseline consumer, raw append, "
        + "merge per mode, freshness, writer heap, and a correctness check against the oracle.")
public final class BenchMain implements Callable<Integer> {

  @Option(names = "--n", split = ",", defaultValue = "1000000",
      description = "Initial load N (issues); several sizes (1000000,10000000) run one after another, each in its own "
          + "subdirectory n-<N>, and the report compares their merge batch times. Default: ${DEFAULT-VALUE}.")
  List<Long> sizes;

  @Option(names = "--u", defaultValue = "1000000", description = "Change stream U (events). Default: ${DEFAULT-VALUE}.")
  long u;

  @Option(names = "--merge-modes", split = ",", defaultValue = "copy_on_write,merge_on_read",
      description = "Merge modes to measure; modes the sink refuses are reported unavailable. Default: ${DEFAULT-VALUE}.")
  List<String> mergeModes;

  @Option(names = "--phases", split = ",", defaultValue = "baseline,raw,merge,freshness",
      description = "Measured phases (the initial load and the correctness check always run). Default: ${DEFAULT-VALUE}.")
  List<String> phases;

  @Option(names = "--data-dir", description = "Where the run keeps broker logs, tables and results (new or empty). "
      + "Default: bench-data/run-<timestamp>.")
  Path dataDir;

  @Option(names = "--produce-rate", defaultValue = "10000", description = "Freshness produce rate, events/s. Default: ${DEFAULT-VALUE}.")
  double produceRate;

  @Option(names = "--freshness-seconds", defaultValue = "60", description = "How long the freshness probe produces, per mode. Default: ${DEFAULT-VALUE}.")
  int freshnessSeconds;

  @Option(names = "--freshness-flush-ms", defaultValue = "1000",
      description = "flush.interval.ms of the Merge connector during the freshness probe. Default: ${DEFAULT-VALUE}.")
  long freshnessFlushMs;

  @Option(names = "--flush-interval-ms", defaultValue = "10000",
      description = "flush.interval.ms during the throughput phases (the sink's default). Default: ${DEFAULT-VALUE}.")
  long flushIntervalMs;

  @Option(names = "--flush-max-records", defaultValue = "50000", description = "flush.max.records of the Merge connectors. Default: ${DEFAULT-VALUE}.")
  int flushMaxRecords;

  @Option(names = "--tasks", defaultValue = "4", description = "tasks.max of every connector (1-4). Default: ${DEFAULT-VALUE}.")
  int tasks;

  @Option(names = "--stream-threads", defaultValue = "1",
      description = "num.stream.threads of the streams topology (1-4; a second thread doubled the freshness p99 on this 2-core machine). Default: ${DEFAULT-VALUE}.")
  int streamThreads;

  @Option(names = "--streams-setting", paramLabel = "KEY=VALUE",
      description = "A Kafka Streams setting of the streams topology (repeatable), e.g. commit.interval.ms=100; the topology's own defaults otherwise.")
  Map<String, String> streamsSettings = new LinkedHashMap<>();

  @Option(names = "--sink-setting", paramLabel = "KEY=VALUE",
      description = "A setting of every sink connector (repeatable), e.g. compaction.max.bytes=8388608; the sink's defaults otherwise.")
  Map<String, String> sinkSettings = new LinkedHashMap<>();

  @Option(names = "--worker-heap", defaultValue = "1g", description = "-Xmx of the Connect worker (the writer). Default: ${DEFAULT-VALUE}.")
  String workerHeap;

  @Option(names = "--worker-jvm-options", defaultValue = "-XX:+UseParallelGC",
      description = "More options of the Connect worker JVM, space-separated (the sink README's recommended collector by default;"
          + " \"\" for the JVM's own choice). Default: ${DEFAULT-VALUE}.")
  String workerJvmOptions;

  @Option(names = "--baseline-passes", defaultValue = "3",
      description = "How many times the baseline consumer reads the change stream; the median pass is the baseline every ratio"
          + " divides by (one pass lasts 2-3 s; on the shared development machine single passes ran from 275,000 to 457,000 events/s within an hour). Default: ${DEFAULT-VALUE}.")
  int baselinePasses;

  @Option(names = "--jfr", description = "Record the worker with JFR and report the top frames per phase.")
  boolean jfr;

  @Option(names = "--phase-timeout-minutes", defaultValue = "360", description = "Longest wait of any phase. Default: ${DEFAULT-VALUE}.")
  long phaseTimeoutMinutes;

  @Option(names = "--drain-timeout-minutes", defaultValue = "10",
      description = "How long the freshness probe waits for its last event to become visible. Default: ${DEFAULT-VALUE}.")
  long drainTimeoutMinutes;

  @Option(names = "--keep-data", description = "Keep broker logs and tables after a passing run (they are kept after a failing one).")
  boolean keepData;

  @Option(names = "--smoke", description = "The small correctness run of the test phase (ignores the sizing options).")
  boolean smoke;

  private String[] args = new String[0];

  private static java.util.List<String> splitOptions(String options) {
    return options.isBlank() ? java.util.List.of() : java.util.List.of(options.trim().split("\\s+"));
  }

  public static void main(String[] args) {
    BenchMain main = new BenchMain();
    main.args = args;
    System.exit(new CommandLine(main).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (!smoke && sizes.stream().distinct().count() != sizes.size()) {
      System.err.println("--n lists a size twice: " + sizes);
      return 2;
    }
    Path dir = dataDir != null ? dataDir
        : Path.of("bench-data", "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    // Before anything logs: the embedded servers log to a file in the run's directory, the console gets progress.
    System.setProperty("bench.log.file", dir.toAbsolutePath().resolve("bench.log").toString());
    System.setProperty("log4j2.configurationFile", "bench-log4j2.xml");
    List<BenchConfig> configs = new ArrayList<>();
    try {
      if (smoke) {
        configs.add(BenchConfig.smoke(dir));
      } else {
        List<Long> ascending = sizes.stream().sorted().toList();
        for (long n : ascending) {
          // One size keeps the data directory itself; several get a subdirectory each.
          Path runDir = ascending.size() == 1 ? dir : dir.resolve("n-" + n);
          configs.add(new BenchConfig(n, u, mergeModes, parsePhases(), runDir, produceRate, freshnessSeconds,
              freshnessFlushMs, flushIntervalMs, flushMaxRecords, tasks, streamThreads, streamsSettings, sinkSettings, workerHeap,
              splitOptions(workerJvmOptions), jfr, Duration.ofMinutes(phaseTimeoutMinutes), Duration.ofMinutes(drainTimeoutMinutes),
              baselinePasses, keepData));
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    String command = ("java -jar benchmarks/target/benchmarks.jar " + String.join(" ", args)).trim();
    List<BenchResults> runs = new ArrayList<>();
    for (BenchConfig config : configs) {
      if (configs.size() > 1) {
        Progress.say("table size N = %,d (%d of %d)", config.initialIssues(), runs.size() + 1, configs.size());
      }
      BenchResults results = PipelineHarness.run(config, command);
      ResultsReport.write(results, config.dataDir().resolve("results.md"), config.dataDir().resolve("results.json"));
      runs.add(results);
    }
    String report = runs.size() == 1 ? ResultsReport.markdown(runs.get(0)) : SizeComparison.markdown(runs, command);
    Path markdown = dir.resolve("results.md");
    if (runs.size() > 1) {
      Files.writeString(markdown, report);
    }
    System.out.println();
    System.out.println(report);
    Progress.say("results written to %s%s", markdown.toAbsolutePath(), runs.size() == 1 ? " and results.json" : " (each size's in n-<N>/)");
    return runs.stream().allMatch(BenchResults::ok) ? 0 : 1;
  }

  private Set<BenchConfig.Phase> parsePhases() {
    Set<BenchConfig.Phase> set = EnumSet.noneOf(BenchConfig.Phase.class);
    for (String p : phases) {
      try {
        set.add(BenchConfig.Phase.parse(p));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--phases: unknown phase '" + p + "'; phases are baseline, raw, merge, freshness");
      }
    }
    return set;
  }
}
