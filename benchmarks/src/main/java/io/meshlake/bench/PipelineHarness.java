package io.meshlake.bench;

import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufEncoder;
import io.meshlake.registry.RegistryConfig;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.streams.StreamsTopologyApp;
import io.meshlake.streams.StreamsTopologyConfig;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableFile;
import io.meshlake.table.storage.LocalTableStore;
import io.meshlake.testkit.KafkaTestCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the standard workload through the real pipeline and measures it, in one run:
 *
 * <ol>
 *   <li>start an in-process KRaft broker, the schema registry, the streams topology (LWW, fan-out) and a
 *       Connect worker in its own JVM;
 *   <li>initial load: produce N inserts; deploy the Append connector (raw table) and one Merge connector
 *       per merge mode (modes the sink refuses are reported unavailable); wait until every table holds
 *       the initial load; pause the connectors;
 *   <li>change stream: produce U change events while the connectors are paused (the streams topology
 *       keeps running, so model topics fill too), so each measured phase starts from a backlog;
 *   <li>baseline: a plain consumer decodes the change stream's records;
 *   <li>raw: resume the Append connector; from then to the raw snapshot holding the last change event;
 *   <li>merge, per mode, alone: resume its connector; to the refined snapshot holding the last change;
 *   <li>freshness, per mode: produce more change events at a fixed rate and time each one's visibility;
 *   <li>correctness: everything resumed and caught up, the raw table against the produced records and
 *       each refined table against the oracle.
 * </ol>
 * Heap (GC log), batch times (worker log), sink counters (JMX) and, optionally, a JFR profile of the
 * writer JVM are attributed to the phases by their time windows.
 */
public final class PipelineHarness {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineHarness.class);

  static final int PARTITIONS = 4;
  static final String INGRESS = "facsimile.jira";
  static final String STREAMS_APP = "bench-streams";
  static final String STREAMS_DLQ = "dlq.jira";
  static final String SINK_DLQ = "dlq.jira.sink";
  /** The sink's writer classes: they tell the worker's raw and merge task threads apart in a profile. */
  static final String APPEND_WRITER = "io.meshlake.sink.writer.AppendBatchWriter";
  static final String MERGE_WRITER = "io.meshlake.sink.writer.MergeBatchWriter";

  private final BenchConfig config;
  private final BenchResults results = new BenchResults();
  private final Path dataDir;
  private final Path lakeDir;

  private KafkaTestCluster kafka;
  private SchemaRegistryServer registry;
  private StreamsTopologyApp streams;
  private ConnectWorker worker;
  private SinkConnectors connectors;
  private TopicOffsets offsets;
  private PipelineWaits waits;
  private SinkCommitLog commitLog;
  private SinkMetricsProbe sinkMetrics;
  private WorkloadGenerator generator;
  private Oracle oracle;
  private ProducedLog produced;
  private WorkloadProducer producer;
  private DeltaLogWatcher rawWatcher;
  private final Map<String, DeltaLogWatcher> refinedWatchers = new LinkedHashMap<>();
  private final Set<String> paused = new LinkedHashSet<>();

  private long[] initialEnd;
  private long[] changeEnd;
  private long[] modelInitialLast;
  private long[] modelChangeLast;
  private long changeRecords;
  private long changeSwaps;
  private long changeDuplicates;

  private PipelineHarness(BenchConfig config) {
    this.config = config;
    this.dataDir = config.dataDir().toAbsolutePath().normalize();
    this.lakeDir = dataDir.resolve("lake");
  }

  /** Runs the benchmark; the results say whether it passed ({@link BenchResults#ok()}) and why not. */
  public static BenchResults run(BenchConfig config, String command) {
    PipelineHarness harness = new PipelineHarness(config);
    harness.results.config = config;
    harness.results.command = command;
    return harness.run();
  }

  private BenchResults run() {
    long started = System.currentTimeMillis();
    results.startedAtMillis = started;
    try {
      start();
      initialLoad();
      changeStream();
      if (config.runs(BenchConfig.Phase.BASELINE)) {
        baseline();
      }
      if (config.runs(BenchConfig.Phase.RAW)) {
        raw();
      }
      if (config.runs(BenchConfig.Phase.MERGE)) {
        for (String mode : refinedWatchers.keySet()) {
          merge(mode);
        }
      }
      if (config.runs(BenchConfig.Phase.FRESHNESS)) {
        for (String mode : refinedWatchers.keySet()) {
          freshness(mode);
        }
      }
      correctness();
    } catch (RuntimeException | IOException | InterruptedException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.error("benchmark run failed", e);
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      results.failure = e.toString();
      Progress.say("FAILED: %s", e);
      Progress.say("%s", String.join("\n", trace.toString().lines().limit(12).toList()));
    } finally {
      stopAndCollect();
      results.wallMillis = System.currentTimeMillis() - started;
    }
    return results;
  }

  private void start() throws IOException, InterruptedException {
    Files.createDirectories(dataDir);
    try (Stream<Path> entries = Files.list(dataDir)) {
      List<String> clash = entries.map(p -> p.getFileName().toString())
          .filter(n -> List.of("kafka", "lake", "streams-state", "worker", "key-locators").contains(n)).toList();
      if (!clash.isEmpty()) {
        throw new IllegalArgumentException("--data-dir " + dataDir + " holds a previous run (" + clash + "); give a new directory");
      }
    }
    results.machine = MachineNotes.collect(dataDir);
    Progress.say("data directory %s; %d cores, load average %.2f", dataDir, results.machine.cores(), results.machine.loadAverageAtStart());
    kafka = KafkaTestCluster.builder().name("bench").baseDirectory(dataDir.resolve("kafka")).start();
    kafka.createTopic(INGRESS, PARTITIONS, Map.of("compression.type", "lz4"));
    // Connect would create it on first use, logging that at ERROR; an empty one is what the check expects.
    kafka.createTopic(SINK_DLQ, 1);
    registry = SchemaRegistryServer.start(RegistryConfig.builder()
        .bootstrapServers(kafka.bootstrapServers()).topic("_schemas").listenPort(0).listenHost("127.0.0.1").build());
    Map<String, String> streamsConfig = new LinkedHashMap<>(Map.of(
        StreamsTopologyConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
        StreamsTopologyConfig.SCHEMA_REGISTRY_URL, registry.url(),
        StreamsTopologyConfig.APPLICATION_ID, STREAMS_APP,
        StreamsTopologyConfig.INPUT_DOMAINS, WorkloadGenerator.DOMAIN,
        StreamsTopologyConfig.STATE_DIR, dataDir.resolve("streams-state").toString(),
        StreamsTopologyConfig.NUM_STREAM_THREADS, Integer.toString(config.streamThreads()),
        StreamsTopologyConfig.HTTP_HOST, "127.0.0.1",
        StreamsTopologyConfig.HTTP_PORT, "0"));
    config.streamsSettings().forEach((key, value) -> streamsConfig.put(StreamsTopologyConfig.STREAMS_PREFIX + key, value));
    streams = StreamsTopologyApp.start(StreamsTopologyConfig.of(streamsConfig));
    streams.awaitRunning(Duration.ofMinutes(3));
    Progress.say("broker %s, registry %s, streams topology running; starting the Connect worker (-Xmx%s)",
        kafka.bootstrapServers(), registry.url(), config.workerHeap());
    worker = ConnectWorker.start(dataDir.resolve("worker"), kafka.bootstrapServers(),
        new ConnectWorker.Settings(config.workerHeap(), config.workerJvmOptions(), config.jfr(), "profile"));
    connectors = new SinkConnectors(worker, lakeDir.toString(), dataDir.resolve("key-locators").toString(), registry.url(),
        config.tasks(), config.sinkSettings());
    offsets = new TopicOffsets(kafka.bootstrapServers());
    waits = new PipelineWaits(offsets, streams, STREAMS_APP, worker, connectors, config.phaseTimeout());
    commitLog = new SinkCommitLog(worker.logFile());
    sinkMetrics = new SinkMetricsProbe(worker.jmxPort());
    generator = new WorkloadGenerator(config.initialIssues());
    long freshnessEvents = config.runs(BenchConfig.Phase.FRESHNESS) ? config.freshnessEvents() * config.mergeModes().size() : 0;
    oracle = new Oracle(config.initialIssues() + (config.changeEvents() + freshnessEvents) / 8);
    produced = new ProducedLog(PARTITIONS);
    producer = new WorkloadProducer(kafka.bootstrapServers(), INGRESS, new ProtobufEncoder(new SchemaRegistryClient(registry.url())),
        produced, oracle);
    rawWatcher = new DeltaLogWatcher(lakeDir.resolve(SinkConnectors.RAW_TABLE));
    Progress.say("Connect worker up (log %s, JMX port %d)", worker.logFile(), worker.jmxPort());
  }

  /**
   * Produces the initial load, then lets each connector take it alone (raw, then each merge mode) and
   * pauses it: connectors running together on a backlog would each buffer up to flush.max.records per
   * task at the same time, which measures the benchmark's layout, not the writer.
   */
  private void initialLoad() {
    long t0 = System.currentTimeMillis();
    producer.produce(generator.initialLoad(), Progress.start("initial load: produce", config.initialIssues(), "events"));
    initialEnd = produced.nextOffsets();
    long produceMillis = System.currentTimeMillis() - t0;
    long[] zeros = new long[PARTITIONS];
    waits.awaitStreams("initial load: streams topology", INGRESS, zeros, initialEnd);
    long streamsMillis = System.currentTimeMillis() - t0;
    modelInitialLast = offsets.lastDataOffsets(SinkConnectors.MODEL_TOPIC, PARTITIONS);
    BenchResults.Throughput raw = null;
    if (config.runs(BenchConfig.Phase.RAW)) {
      long deployed = System.currentTimeMillis();
      connectors.put(SinkConnectors.RAW, connectors.appendConfig(INGRESS, config.flushIntervalMs()));
      connectors.awaitState(SinkConnectors.RAW, "RUNNING", Duration.ofMinutes(3));
      awaitBalanced(SinkConnectors.RAW);
      long at = waits.awaitTable("initial load: raw table", rawWatcher, SinkConnectors.RAW, INGRESS, zeros, minusOne(initialEnd),
          config.phaseTimeout(), true);
      raw = new BenchResults.Throughput(config.initialIssues(), at - deployed, config.initialIssues() * 1000.0 / Math.max(1, at - deployed), null);
      results.windows.add(window("initial load: raw", deployed, at, APPEND_WRITER));
      pause(SinkConnectors.RAW);
    }
    List<BenchResults.ModeThroughput> merges = new ArrayList<>();
    if (config.merges()) {
      for (String mode : config.mergeModes()) {
        long deployed = System.currentTimeMillis();
        if (!deployMerge(mode)) {
          continue;
        }
        String name = SinkConnectors.mergeConnector(mode);
        awaitBalanced(name);
        long at = waits.awaitTable("initial load: refined table, " + mode, refinedWatchers.get(mode), name, SinkConnectors.MODEL_TOPIC,
            zeros, modelInitialLast, config.phaseTimeout(), true);
        BenchResults.Throughput load = new BenchResults.Throughput(config.initialIssues(), at - deployed,
            config.initialIssues() * 1000.0 / Math.max(1, at - deployed), null);
        results.windows.add(window("initial load: merge " + mode, deployed, at, MERGE_WRITER));
        merges.add(new BenchResults.ModeThroughput(mode, load, mode.equals("merge_on_read") ? settleCompaction(name, mode) : null));
        pause(name);
      }
    }
    results.initialLoad = new BenchResults.InitialLoad(produceMillis, streamsMillis, raw, merges);
  }

  /**
   * Lets merge_on_read's self-compaction finish the bulk load's small files before the change stream:
   * the merge window then measures merging into an N-row table, not the tail of loading it. The
   * connector stays running and idle; its tasks compact paced as always.
   */
  private BenchResults.CompactionSettle settleCompaction(String connector, String mode) {
    SinkMetricsProbe.SinkTotals before = sinkMetrics.totals(connector);
    long started = System.currentTimeMillis();
    long settled = waits.awaitCompactionSettled("initial load: self-compaction of merge " + mode, sinkMetrics, connector,
        config.phaseTimeout());
    SinkMetricsProbe.SinkTotals done = sinkMetrics.totals(connector).minus(before);
    results.windows.add(window("initial load: self-compaction " + mode, started, settled, MERGE_WRITER));
    return new BenchResults.CompactionSettle(settled - started, done.compactions(), done.filesCompacted(),
        tableShape(SinkConnectors.mergeTable(mode)));
  }

  /** Deploys a mode's Merge connector; false (reported as unavailable) when the sink refuses the mode. */
  private boolean deployMerge(String mode) {
    String name = SinkConnectors.mergeConnector(mode);
    connectors.put(name, connectors.mergeConfig(mode, config.flushMaxRecords(), config.flushIntervalMs()));
    try {
      connectors.awaitState(name, "RUNNING", Duration.ofMinutes(3));
      refinedWatchers.put(mode, new DeltaLogWatcher(lakeDir.resolve(SinkConnectors.mergeTable(mode))));
      Progress.say("merge mode %s: connector %s running", mode, name);
      return true;
    } catch (SinkConnectors.ConnectorFailedException refused) {
      String reason = SinkConnectors.ConnectorFailedException.firstLines(refused.trace, 1);
      Progress.say("merge mode %s is not available in this sink: %s", mode, reason);
      results.merges.add(new BenchResults.Merge(mode, false, reason, null, 0, null, null, null, null, null, null, null));
      connectors.delete(name);
      return false;
    }
  }

  private void changeStream() {
    producer.produce(generator.changes(config.changeEvents()),
        Progress.start("change stream: produce (connectors paused)", config.changeEvents(), "events"));
    changeEnd = produced.nextOffsets();
    changeRecords = TopicOffsets.sum(changeEnd) - TopicOffsets.sum(initialEnd);
    changeSwaps = generator.swaps();
    changeDuplicates = generator.duplicates();
    waits.awaitStreams("change stream: streams topology", INGRESS, initialEnd, changeEnd);
    modelChangeLast = offsets.lastDataOffsets(SinkConnectors.MODEL_TOPIC, PARTITIONS);
    results.workload = workload();
  }

  private BenchResults.Workload workload() {
    long total = produced.count();
    return new BenchResults.Workload(config.initialIssues(), config.changeEvents(), TopicOffsets.sum(initialEnd), changeRecords,
        changeSwaps, changeDuplicates, total == 0 ? 0 : produced.valueBytes() / (double) total, generator.issuesCreated(),
        generator.liveIssues(), total);
  }

  /**
   * Reads the change stream with the plain consumer {@code --baseline-passes} times and takes the
   * median pass as the baseline: one pass lasts only 2-3 s, and on a shared machine a single pass
   * was the largest source of spread in every ratio.
   */
  private void baseline() {
    List<BaselineConsumer.Result> passes = new ArrayList<>();
    long from = System.currentTimeMillis();
    for (int pass = 1; pass <= config.baselinePasses(); pass++) {
      Progress p = Progress.start(String.format(Locale.ROOT, "baseline (pass %d of %d): plain consumer decoding the change stream",
          pass, config.baselinePasses()), changeRecords, "events");
      BaselineConsumer.Result r = new BaselineConsumer(kafka.bootstrapServers(), registry.url()).run(INGRESS, initialEnd, changeEnd, p);
      passes.add(r);
      Progress.say("baseline (pass %d of %d): %,d events in %,d ms = %,.0f events/s", pass, config.baselinePasses(), r.records(),
          r.millis(), r.eventsPerSecond());
    }
    BaselineConsumer.Result median = BaselineConsumer.median(passes);
    results.baselinePasses = List.copyOf(passes);
    results.baseline = median;
    results.baselineThroughput = new BenchResults.Throughput(median.records(), median.millis(), median.eventsPerSecond(), 1.0);
    results.windows.add(window("baseline", from, System.currentTimeMillis(), null));
    Progress.say("baseline: the median of %d passes, %,d events in %,d ms = %,.0f events/s", passes.size(), median.records(),
        median.millis(), median.eventsPerSecond());
  }

  private void raw() {
    long resumedAt = System.currentTimeMillis();
    long firstRead = resumeAndAwaitFirstRead("raw append", SinkConnectors.RAW);
    long at = waits.awaitTable("raw append (change stream)", rawWatcher, SinkConnectors.RAW, INGRESS, minusOne(initialEnd),
        minusOne(changeEnd), config.phaseTimeout(), true);
    results.raw = throughput(changeRecords, at - firstRead, firstRead - resumedAt);
    awaitCommitLog(SinkConnectors.RAW, INGRESS, minusOne(changeEnd));
    results.rawBatches = batchStats(commitLog.commits(SinkConnectors.RAW, INGRESS, minusOne(initialEnd), minusOne(changeEnd)));
    results.windows.add(window("raw append", resumedAt, at, APPEND_WRITER));
    Progress.say("raw append: %,d events in %,d ms from the first read (%,d ms after resuming) = %,.0f events/s (%.2f x baseline)",
        changeRecords, at - firstRead, firstRead - resumedAt, results.raw.eventsPerSecond(), ratioOrNaN(results.raw));
  }

  /**
   * Resumes a paused connector and returns when its tasks read their first record (epoch millis, at or
   * before it): the workload times each stage from its first change event consumed, so the resume's
   * round trip through the worker's config topic is not the stage's.
   */
  private long resumeAndAwaitFirstRead(String phase, String connector) {
    long readBeforeAt = System.currentTimeMillis();
    long readBefore = sinkMetrics.recordsRead(connector);
    connectors.requestResume(connector);
    paused.remove(connector);
    long firstRead = waits.awaitFirstRead(phase, sinkMetrics, connector, readBefore, readBeforeAt);
    connectors.awaitRunning(connector);
    return firstRead;
  }

  private void merge(String mode) {
    String name = SinkConnectors.mergeConnector(mode);
    SinkMetricsProbe.SinkTotals before = sinkMetrics.totals(name);
    long t0 = System.currentTimeMillis();
    long firstRead = resumeAndAwaitFirstRead("merge " + mode, name);
    long at = waits.awaitTable("merge " + mode + " (change stream)", refinedWatchers.get(mode), name, SinkConnectors.MODEL_TOPIC,
        modelInitialLast, modelChangeLast, config.phaseTimeout(), true);
    // The task logs a batch (and counts it over JMX) after what follows its commit, e.g. self-compaction.
    awaitCommitLog(name, SinkConnectors.MODEL_TOPIC, modelChangeLast);
    SinkMetricsProbe.SinkTotals sink = sinkMetrics.totals(name).minus(before);
    pause(name);
    List<SinkCommitLog.BatchCommit> batches = commitLog.commits(name, SinkConnectors.MODEL_TOPIC, modelInitialLast, modelChangeLast);
    long modelRecords = batches.stream().mapToLong(SinkCommitLog.BatchCommit::events).sum();
    // Flushed by count: a task checks after each poll, so a full batch has flush.max.records plus up to a poll's worth.
    List<SinkCommitLog.BatchCommit> full = batches.stream().filter(b -> b.events() >= config.flushMaxRecords()).toList();
    BenchResults.Throughput t = throughput(changeRecords, at - firstRead, firstRead - t0);
    // Copy-on-write's rewrites plus merge_on_read's self-compaction: every row written again.
    Double rewritten = sink.eventsWritten() == 0 ? null : (sink.rowsRewritten() + sink.rowsCompacted()) / (double) sink.eventsWritten();
    results.merges.add(new BenchResults.Merge(mode, true, null, t, modelRecords, batchStats(full), batchStats(batches), sink, rewritten,
        deltaCommits(refinedWatchers.get(mode), t0, System.currentTimeMillis()), null, tableShape(SinkConnectors.mergeTable(mode))));
    results.windows.add(window("merge " + mode, t0, at, MERGE_WRITER));
    Progress.say("merge %s: %,d change events in %,d ms from the first read (%,d ms after resuming) = %,.0f events/s (%.2f x baseline);"
        + " %d batches of %,d, median %s ms", mode, changeRecords, at - firstRead, firstRead - t0, t.eventsPerSecond(), ratioOrNaN(t), full.size(), config.flushMaxRecords(),
        full.isEmpty() ? "-" : batchStats(full).medianMillis());
  }

  private void freshness(String mode) throws InterruptedException {
    String name = SinkConnectors.mergeConnector(mode);
    DeltaLogWatcher watcher = refinedWatchers.get(mode);
    Map<String, String> fresh = new LinkedHashMap<>(connectors.config(name));
    fresh.put("flush.interval.ms", Long.toString(config.freshnessFlushMs()));
    long reconfigured = System.currentTimeMillis();
    connectors.put(name, fresh);
    resume(name);
    awaitBalanced(name);
    // The new configuration restarts the tasks; a task that is still opening its partition (for
    // merge_on_read: rebuilding its key locator from the table) is a restart, not steady-state latency.
    awaitOpened(name, reconfigured);
    long[] caughtUp = offsets.lastDataOffsets(SinkConnectors.MODEL_TOPIC, PARTITIONS);
    waits.awaitTable("freshness " + mode + ": catch up first", watcher, name, SinkConnectors.MODEL_TOPIC, caughtUp, caughtUp,
        config.phaseTimeout(), true);
    long[] modelFrom = offsets.endOffsets(SinkConnectors.MODEL_TOPIC, PARTITIONS);
    long[] ingressFrom = produced.nextOffsets();
    ModelArrivals arrivals = new ModelArrivals(kafka.bootstrapServers(), SinkConnectors.MODEL_TOPIC, modelFrom);
    List<WorkloadProducer.Prepared> events = producer.prepare(generator.changes(config.freshnessEvents()),
        Progress.start(String.format("freshness %s: generate and frame the events first", mode), config.freshnessEvents(), "events"));
    long t0 = System.currentTimeMillis();
    long sent = producer.produceAtRate(events, config.produceRate(),
        Progress.start(String.format("freshness %s: produce at %,.0f events/s", mode, config.produceRate()), config.freshnessEvents(), "events"));
    events = null; // held ~850 bytes per event; on the topic now
    long produceMillis = System.currentTimeMillis() - t0;
    long[] ingressTo = produced.nextOffsets();
    waits.awaitStreams("freshness " + mode + ": streams topology", INGRESS, ingressFrom, ingressTo);
    long[] modelTo = offsets.lastDataOffsets(SinkConnectors.MODEL_TOPIC, PARTITIONS);
    long at = waits.awaitTable("freshness " + mode + ": last event visible", watcher, name, SinkConnectors.MODEL_TOPIC, minusOne(modelFrom),
        modelTo, config.drainTimeout(), false);
    long end = at < 0 ? System.currentTimeMillis() : at;
    FreshnessProbe.Latencies l;
    try (arrivals) {
      if (!arrivals.awaitRead(modelTo, Duration.ofMinutes(2))) {
        Progress.say("freshness %s: the model topic reader did not reach the phase's last records; the stage split covers what it read", mode);
      }
      l = new FreshnessProbe(kafka.bootstrapServers(), PARTITIONS)
          .measure(SinkConnectors.MODEL_TOPIC, modelFrom, modelTo, watcher, name, arrivals, t0);
    }
    if (at >= 0) {
      awaitCommitLog(name, SinkConnectors.MODEL_TOPIC, modelTo);
    }
    pause(name);
    BenchResults.BatchStats batches = batchStats(commitLog.commits(name, SinkConnectors.MODEL_TOPIC, minusOne(modelFrom), modelTo));
    results.freshness.add(new BenchResults.Freshness(mode, config.produceRate(), produceMillis == 0 ? 0 : sent * 1000.0 / produceMillis,
        sent, l.records(), l.sortedMillis().length, l.notVisible(), l.quantile(0.50), l.quantile(0.90), l.quantile(0.99), l.max(),
        config.freshnessFlushMs(), batches, stage(l.streamsMillis()), stage(l.sinkMillis()), l.timeline()));
    results.windows.add(window("freshness " + mode, t0, end, MERGE_WRITER));
    Progress.say("freshness %s: %,d events at %,.0f/s; p50 %s ms, p99 %s ms, %,d not visible after the drain timeout",
        mode, sent, config.produceRate(), l.quantile(0.5), l.quantile(0.99), l.notVisible());
  }

  private static BenchResults.Stage stage(long[] sorted) {
    return new BenchResults.Stage(sorted.length, FreshnessProbe.Latencies.stageQuantile(sorted, 0.50),
        FreshnessProbe.Latencies.stageQuantile(sorted, 0.99));
  }

  private void correctness() {
    for (String name : new ArrayList<>(paused)) {
      resume(name);
    }
    long[] ingressEnd = produced.nextOffsets();
    waits.awaitStreams("correctness: streams topology caught up", INGRESS, initialEnd, ingressEnd);
    long[] modelLast = offsets.lastDataOffsets(SinkConnectors.MODEL_TOPIC, PARTITIONS);
    if (config.runs(BenchConfig.Phase.RAW)) {
      waits.awaitTable("correctness: raw table caught up", rawWatcher, SinkConnectors.RAW, INGRESS, minusOne(initialEnd),
          minusOne(ingressEnd), config.phaseTimeout(), true);
    }
    for (Map.Entry<String, DeltaLogWatcher> mode : refinedWatchers.entrySet()) {
      waits.awaitTable("correctness: refined table " + mode.getKey() + " caught up", mode.getValue(),
          SinkConnectors.mergeConnector(mode.getKey()), SinkConnectors.MODEL_TOPIC, modelInitialLast, modelLast, config.phaseTimeout(), true);
    }
    long t0 = System.currentTimeMillis();
    LocalTableStore store = new LocalTableStore(lakeDir);
    BenchResults.RawCheck raw = null;
    if (config.runs(BenchConfig.Phase.RAW)) {
      Progress.say("correctness: scanning the raw table (%,d records produced)", produced.count());
      raw = RawTableCheck.run(store, SinkConnectors.RAW_TABLE, INGRESS, produced);
      Progress.say("correctness: raw table %s: %,d rows, %,d distinct coordinates, %,d missing, %,d duplicates",
          raw.ok() ? "OK" : "MISMATCH", raw.rows(), raw.distinctCoordinates(), raw.missing(), raw.duplicates());
    }
    List<BenchResults.RefinedCheck> refined = new ArrayList<>();
    for (String mode : refinedWatchers.keySet()) {
      Progress.say("correctness: scanning refined table %s against the oracle (%,d entities)", SinkConnectors.mergeTable(mode), oracle.entities());
      BenchResults.RefinedCheck check = RefinedTableCheck.run(store, SinkConnectors.mergeTable(mode), mode, oracle);
      refined.add(check);
      Progress.say("correctness: refined table %s %s: %,d rows, %,d expected, %,d missing, %,d unexpected, %,d wrong version, %,d wrong content",
          mode, check.ok() ? "OK" : "MISMATCH", check.rows(), check.expectedRows(), check.missing(), check.unexpected() + check.deletedButPresent(),
          check.wrongVersion(), check.wrongContent());
    }
    long deadLetters = offsets.recordsIfExists(STREAMS_DLQ) + offsets.recordsIfExists(SINK_DLQ);
    results.correctness = new BenchResults.Correctness(raw, refined, deadLetters, System.currentTimeMillis() - t0);
    if (results.workload != null) {
      results.workload = workload();
    }
  }

  /** A measured phase's window, with the machine's load when it ended (the machine is shared). */
  private static BenchResults.Window window(String name, long from, long to, String writerClass) {
    return new BenchResults.Window(name, from, to, writerClass, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }

  /**
   * Waits until the connector's tasks each hold a share of the partitions (Connect's group is
   * {@code connect-<name>}); a task in a long commit delays the rebalance, so this can take a while.
   */
  private void awaitBalanced(String connector) {
    int tasks = Math.min(config.tasks(), PARTITIONS);
    long until = System.currentTimeMillis() + config.phaseTimeout().toMillis();
    while (!offsets.balanced("connect-" + connector, tasks, PARTITIONS)) {
      if (System.currentTimeMillis() > until) {
        throw new IllegalStateException("the tasks of " + connector + " did not settle on " + PARTITIONS + " partitions within "
            + config.phaseTimeout());
      }
      worker.checkAlive();
      connectors.checkHealthy(connector);
      ConnectWorker.sleep(250);
    }
  }

  /** Waits until the connector's tasks have (re)opened every partition of the model topic since {@code sinceMillis}. */
  private void awaitOpened(String connector, long sinceMillis) {
    long t0 = System.currentTimeMillis();
    long until = t0 + config.phaseTimeout().toMillis();
    commitLog.refresh();
    while (!commitLog.opened(connector, SinkConnectors.MODEL_TOPIC, PARTITIONS, config.tasks(), sinceMillis)) {
      if (System.currentTimeMillis() > until) {
        throw new IllegalStateException("the tasks of " + connector + " did not reopen their partitions within " + config.phaseTimeout());
      }
      worker.checkAlive();
      connectors.checkHealthy(connector);
      ConnectWorker.sleep(250);
      commitLog.refresh();
    }
    Progress.say("%s: tasks reopened their partitions after the reconfiguration (%,d ms)", connector, System.currentTimeMillis() - t0);
  }

  /** Waits (up to two minutes) until the worker has logged the batches that reached {@code upTo}. */
  private void awaitCommitLog(String connector, String topic, long[] upTo) {
    long until = System.currentTimeMillis() + 120_000;
    commitLog.refresh();
    while (!commitLog.logged(connector, topic, upTo) && System.currentTimeMillis() < until) {
      ConnectWorker.sleep(200);
      commitLog.refresh();
    }
  }

  private void pause(String connector) {
    connectors.pause(connector);
    paused.add(connector);
  }

  private void resume(String connector) {
    connectors.resume(connector);
    paused.remove(connector);
  }

  private BenchResults.Throughput throughput(long events, long millis, long resumeMillis) {
    double eps = millis <= 0 ? 0 : events * 1000.0 / millis;
    Double ratio = results.baselineThroughput == null || results.baselineThroughput.eventsPerSecond() == 0 ? null
        : eps / results.baselineThroughput.eventsPerSecond();
    return new BenchResults.Throughput(events, millis, eps, ratio, resumeMillis);
  }

  private static double ratioOrNaN(BenchResults.Throughput t) {
    return t.ratioToBaseline() == null ? Double.NaN : t.ratioToBaseline();
  }

  /** The table's live files now (after a merge window: how much compaction left for later). */
  private BenchResults.TableShape tableShape(String table) {
    DeltaTable delta = DeltaTable.open(new LocalTableStore(lakeDir), table);
    long files = 0;
    long rows = 0;
    long deleted = 0;
    for (TableFile f : delta.files(delta.latest(), Map.of(), f -> true)) {
      files++;
      rows += f.numRecords();
      deleted += f.deletionVector().map(TableFile.DeletionVector::cardinality).orElse(0L);
    }
    return new BenchResults.TableShape(files, rows, deleted);
  }

  private static BenchResults.DeltaCommits deltaCommits(DeltaLogWatcher watcher, long from, long to) {
    watcher.refresh();
    List<DeltaLogWatcher.Commit> commits = watcher.commitsBetween(from, to);
    return new BenchResults.DeltaCommits(commits.size(), (int) commits.stream().filter(c -> c.txns().isEmpty()).count(),
        commits.stream().mapToLong(DeltaLogWatcher.Commit::adds).sum(), commits.stream().mapToLong(DeltaLogWatcher.Commit::removes).sum());
  }

  static BenchResults.BatchStats batchStats(List<SinkCommitLog.BatchCommit> batches) {
    if (batches.isEmpty()) {
      return null;
    }
    long[] millis = batches.stream().mapToLong(SinkCommitLog.BatchCommit::millis).sorted().toArray();
    double meanEvents = batches.stream().mapToLong(SinkCommitLog.BatchCommit::events).average().orElse(0);
    SinkCommitLog.Parts parts = null;
    Long mergeMedian = null;
    if (batches.stream().allMatch(b -> b.parts() != null)) {
      // Each part's own median: they need not come from the same batch, so they need not add up to the total's.
      parts = new SinkCommitLog.Parts(median(batches, SinkCommitLog.Parts::planMillis), median(batches, SinkCommitLog.Parts::logMillis),
          median(batches, SinkCommitLog.Parts::compactionMillis));
      mergeMedian = median(batches, p -> p.planMillis() + p.logMillis());
    }
    return new BenchResults.BatchStats(millis.length, millis[0], nearestRank(millis, 0.5), nearestRank(millis, 0.9),
        millis[millis.length - 1], Arrays.stream(millis).average().orElse(0), meanEvents, parts, mergeMedian);
  }

  private static long median(List<SinkCommitLog.BatchCommit> batches, java.util.function.ToLongFunction<SinkCommitLog.Parts> part) {
    return nearestRank(batches.stream().mapToLong(b -> part.applyAsLong(b.parts())).sorted().toArray(), 0.5);
  }

  static long nearestRank(long[] sorted, double q) {
    int index = (int) Math.max(0, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.min(index, sorted.length - 1)];
  }

  private static long[] minusOne(long[] nextOffsets) {
    return Arrays.stream(nextOffsets).map(o -> o - 1).toArray();
  }

  private void stopAndCollect() {
    if (commitLog != null) {
      commitLog.refresh();
      results.workerErrors = commitLog.errors();
    }
    if (sinkMetrics != null) {
      sinkMetrics.close();
    }
    if (worker != null) {
      Progress.say("stopping the Connect worker%s", config.jfr() ? " (writing its JFR recording)" : "");
      worker.stop();
      collectHeap();
      collectProfiles();
    }
    closeQuietly(producer);
    closeQuietly(offsets);
    closeQuietly(streams);
    closeQuietly(registry);
    closeQuietly(kafka);
    if (results.ok() && !config.keepData()) {
      for (String dir : List.of("kafka", "lake", "streams-state", "key-locators")) {
        deleteTree(dataDir.resolve(dir));
      }
    }
  }

  private void collectHeap() {
    List<HeapProbe.Collection> gc = HeapProbe.read(worker.gcLog());
    List<BenchResults.NamedPeaks> phases = new ArrayList<>();
    for (BenchResults.Window w : results.windows) {
      if (w.writerClass() != null) {
        phases.add(new BenchResults.NamedPeaks(w.name(), w.toMillis() - w.fromMillis(), HeapProbe.peaks(gc, w.fromMillis(), w.toMillis())));
      }
    }
    boolean oom;
    try (Stream<String> lines = Files.lines(worker.logFile())) {
      oom = lines.anyMatch(l -> l.contains("OutOfMemoryError"));
    } catch (IOException | UncheckedIOException e) {
      oom = false;
    }
    results.heap = new BenchResults.Heap(config.workerHeap(), HeapProbe.peaks(gc, 0, Long.MAX_VALUE), phases, oom);
    for (int i = 0; i < results.merges.size(); i++) {
      BenchResults.Merge m = results.merges.get(i);
      if (m.available()) {
        BenchResults.Window w = results.windows.stream().filter(x -> x.name().equals("merge " + m.mode())).findFirst().orElse(null);
        if (w != null) {
          results.merges.set(i, new BenchResults.Merge(m.mode(), true, null, m.throughput(), m.modelRecords(), m.fullBatches(),
              m.allBatches(), m.sink(), m.rowsRewrittenPerChange(), m.deltaCommits(), HeapProbe.peaks(gc, w.fromMillis(), w.toMillis()),
              m.tableAfter()));
        }
      }
    }
  }

  private void collectProfiles() {
    Path jfr = worker.jfrFile();
    if (jfr == null || !Files.exists(jfr)) {
      return;
    }
    List<ProfileSummary.Window> windows = results.windows.stream()
        .filter(w -> w.writerClass() != null)
        .map(w -> new ProfileSummary.Window(w.name(), w.fromMillis(), w.toMillis(), w.writerClass()))
        .toList();
    try {
      results.profiles.addAll(ProfileSummary.summarize(jfr, windows, 15));
    } catch (RuntimeException e) {
      LOG.warn("could not summarize {}: {}", jfr, e.toString());
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", c, e.toString());
    }
  }

  /** Deletes a directory tree, best effort (a file left behind is logged). */
  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          LOG.warn("could not delete {}: {}", p, e.toString());
        }
      });
    } catch (IOException e) {
      LOG.warn("could not delete {}: {}", root, e.toString());
    }
  }
}
