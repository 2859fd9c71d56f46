package io.meshlake.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import io.meshlake.sink.config.DeltaSinkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Renders a run's figures: Markdown for people (every throughput with its ratio to the same run's
 * baseline, the reference figures of the issue, each target with met/missed) and JSON for tools.
 */
final class ResultsReport {

  /** Reference figures of issue 7: Spark 4.0.1 Structured Streaming + delta-spark MERGE, this machine, N = 1M. */
  static final double SPARK_MERGE_EPS = 1_650;
  static final double SPARK_RAW_EPS = 5_800;
  static final double SPARK_PLAIN_CONSUMER_EPS = 159_000;
  static final double SPARK_ROWS_REWRITTEN_PER_EVENT = 21;
  static final long SPARK_MEDIAN_BATCH_MILLIS = 26_000;

  /** Targets of issue 7. */
  static final double TARGET_RAW_RATIO = 0.5;
  static final double TARGET_MERGE_EPS_AT_10M = 50_000;
  static final double TARGET_BATCH_SCALING = 1.3;
  static final long TARGET_FRESHNESS_P99_MILLIS = 5_000;
  static final long TARGET_HEAP_BYTES = 1L << 30;
  static final long TEN_MILLION = 10_000_000L;

  private ResultsReport() {}

  static void write(BenchResults r, Path markdown, Path json) throws IOException {
    Files.createDirectories(markdown.toAbsolutePath().getParent());
    Files.writeString(markdown, markdown(r));
    Files.writeString(json, json(r));
  }

  static String json(BenchResults r) throws IOException {
    SimpleModule plain = new SimpleModule();
    plain.addSerializer(Duration.class, ToStringSerializer.instance);
    plain.addSerializer(Path.class, ToStringSerializer.instance);
    ObjectMapper mapper = new ObjectMapper().registerModule(plain).enable(SerializationFeature.INDENT_OUTPUT);
    mapper.setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    return mapper.writeValueAsString(r);
  }

  static String markdown(BenchResults r) {
    StringBuilder md = new StringBuilder();
    BenchConfig c = r.config;
    line(md, "# meshlake benchmark: standard workload, N = %,d, U = %,d", c.initialIssues(), c.changeEvents());
    line(md, "");
    line(md, "**%s** — run of %s, wall time %s.", r.ok() ? "PASSED (0 mismatches)" : "FAILED" + (r.failure != null ? ": " + r.failure : ": see Correctness"),
        Instant.ofEpochMilli(r.startedAtMillis), Progress.duration(r.wallMillis / 1000.0));
    line(md, "");
    line(md, "Command: `%s`", r.command);
    line(md, "");
    machine(md, r);
    workload(md, r);
    throughput(md, r);
    batches(md, r);
    freshness(md, r);
    heap(md, r);
    correctness(md, r);
    targets(md, r);
    comparison(md, r);
    profiles(md, r);
    initialLoad(md, r);
    if (!r.workerErrors.isEmpty()) {
      line(md, "## Worker errors (%d)", r.workerErrors.size());
      line(md, "");
      line(md, "```");
      r.workerErrors.stream().limit(10).forEach(e -> line(md, "%s", e.length() > 300 ? e.substring(0, 300) + "..." : e));
      line(md, "```");
      line(md, "");
    }
    return md.toString();
  }

  private static void machine(StringBuilder md, BenchResults r) {
    BenchResults.Machine m = r.machine;
    if (m == null) {
      return;
    }
    line(md, "## Machine");
    line(md, "");
    line(md, "| | |");
    line(md, "|---|---|");
    line(md, "| CPU | %s, %d cores (shared with other developers' builds while this ran) |", m.cpu(), m.cores());
    line(md, "| memory | %.1f GiB |", m.memoryBytes() / (double) (1L << 30));
    line(md, "| JDK | %s |", m.jdk());
    line(md, "| OS | %s |", m.os());
    line(md, "| disk (data directory) | %s |", m.disk());
    line(md, "| load average (1 min) | %.2f at start; %s |", m.loadAverageAtStart(), String.join(", ", r.windows.stream()
        .map(w -> String.format(Locale.ROOT, "%.2f after %s", w.loadAverageAtEnd(), w.name())).toList()));
    line(md, "| layout | broker (KRaft, in-process), schema registry, streams topology (%d stream thread%s) and producers in the "
        + "benchmark JVM; the Connect worker (sink tasks) in its own JVM, -Xmx%s%s; %d tasks per connector |", r.config.streamThreads(),
        r.config.streamThreads() == 1 ? "" : "s", r.config.workerHeap(),
        r.config.workerJvmOptions().isEmpty() ? "" : " " + String.join(" ", r.config.workerJvmOptions()), r.config.tasks());
    line(md, "");
  }

  private static void workload(StringBuilder md, BenchResults r) {
    BenchResults.Workload w = r.workload;
    if (w == null) {
      return;
    }
    line(md, "## Workload (bench/WORKLOAD.md, seed %d)", WorkloadGenerator.SEED);
    line(md, "");
    line(md, "| | |");
    line(md, "|---|---|");
    line(md, "| initial load | %,d inserts (%,d records) |", w.initialIssues(), w.initialRecords());
    line(md, "| change stream | %,d events delivered as %,d records (%,d swapped positions, %,d duplicate deliveries) |",
        w.changeEvents(), w.changeRecords(), w.swaps(), w.duplicates());
    line(md, "| records produced in all | %,d (freshness probes included), mean value %.0f bytes (Confluent-framed envelope) |",
        w.totalRecords(), w.averageValueBytes());
    line(md, "| issues | %,d created, %,d live at the end |", w.issuesCreated(), w.liveIssues());
    line(md, "| topic | %s, %d partitions, keyed by resource ARI, lz4 |", PipelineHarness.INGRESS, PipelineHarness.PARTITIONS);
    line(md, "");
  }

  private static void throughput(StringBuilder md, BenchResults r) {
    line(md, "## Throughput over the change stream (each stage alone, reading a backlog)");
    line(md, "");
    line(md, "| stage | events | time | events/s | × baseline | resuming → first read (not in the time) |");
    line(md, "|---|---:|---:|---:|---:|---:|");
    if (r.baselineThroughput != null) {
      row(md, r.baselinePasses.size() > 1
          ? "baseline: plain consumer decoding each envelope (the median of " + r.baselinePasses.size() + " passes)"
          : "baseline: plain consumer decoding each envelope", r.baselineThroughput);
    }
    if (r.raw != null) {
      row(md, "raw append (Append connector → raw_jira_issue)", r.raw);
    }
    for (BenchResults.Merge m : r.merges) {
      if (m.available() && m.throughput() != null) {
        row(md, "merge, " + m.mode() + " (Merge connector → refined jira_issue, N = " + String.format(Locale.ROOT, "%,d", r.config.initialIssues()) + ")",
            m.throughput());
      } else if (!m.available()) {
        line(md, "| merge, %s | not available in this sink: %s | | | | |", m.mode(), escape(m.unavailableReason()));
      }
    }
    line(md, "");
    if (r.baselinePasses.size() > 1) {
      line(md, "Baseline passes, in the order they ran: %s events/s. Each ratio divides by the median pass.",
          String.join(", ", r.baselinePasses.stream().map(p -> String.format(Locale.ROOT, "%,.0f", p.eventsPerSecond())).toList()));
      line(md, "");
    }
    line(md, "Events are the change stream's records on `%s` (duplicates included). Every stage is timed from its first "
        + "change event read, as the workload defines it: the baseline from its first poll that returned records, raw and "
        + "merge from the last reading of Connect's `sink-record-read-total` (JMX, every 5 ms) before their resumed "
        + "connector's tasks had read any, to the first snapshot whose `txn` covers the last change event (raw) or its last "
        + "model record (merge); the streams topology had already processed the change stream into `model.jira_issue`. Flush: %s records (raw) and %,d records (merge), or %s bytes of record values, or %,d ms, or idle for %s ms (raw) and %s ms (merge); buffer.heap.fraction %s (a batch cut "
        + "short by the worker's buffer budget counts in \"all batches\", not in the 50,000-event ones).", PipelineHarness.INGRESS,
        grouped(r.config.sinkSettings().getOrDefault("flush.max.records", SinkConnectors.RAW_FLUSH_MAX_RECORDS)),
        r.config.flushMaxRecords(),
        grouped(r.config.sinkSettings().getOrDefault("flush.max.bytes", sinkDefault("flush.max.bytes"))),
        r.config.flushIntervalMs(),
        r.config.sinkSettings().getOrDefault("flush.idle.ms", SinkConnectors.RAW_FLUSH_IDLE_MS),
        r.config.sinkSettings().getOrDefault("flush.idle.ms", sinkDefault("flush.idle.ms")),
        SinkConnectors.BUFFER_HEAP_FRACTION);
    line(md, "");
  }

  /** The sink's default of one of its settings, as the connectors get it when the run sets nothing. */
  private static String sinkDefault(String key) {
    return String.valueOf(DeltaSinkConfig.CONFIG_DEF.configKeys().get(key).defaultValue);
  }

  /** A setting's number with thousands separators, as the report writes its own figures; anything else as given. */
  static String grouped(String value) {
    try {
      return String.format(Locale.ROOT, "%,d", Long.parseLong(value.trim()));
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static void row(StringBuilder md, String name, BenchResults.Throughput t) {
    line(md, "| %s | %,d | %s | %,.0f | %s | %s |", name, t.events(), Progress.duration(t.millis() / 1000.0), t.eventsPerSecond(),
        t.ratioToBaseline() == null ? "–" : String.format(Locale.ROOT, "%.3f", t.ratioToBaseline()),
        t.resumeMillis() == null ? "–" : String.format(Locale.ROOT, "%,d ms", t.resumeMillis()));
  }

  private static void batches(StringBuilder md, BenchResults r) {
    if (r.merges.stream().noneMatch(m -> m.available() && m.throughput() != null) && r.rawBatches == null) {
      return;
    }
    line(md, "## Batch times (from the sink's \"committed N events ... in Y ms\" log lines)");
    line(md, "");
    line(md, "| connector | N | batches of ≥ %,d (flushed by count) | median | … plan / log / self-compaction (medians) | p90 | mean | min–max | all batches (mean size) | rows rewritten per merged event | compactions (files) | Delta commits (maintenance), files added / removed | table after: files, rows in deletion vectors |",
        r.config.flushMaxRecords());
    line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (BenchResults.Merge m : r.merges) {
      if (!m.available() || m.throughput() == null) {
        continue;
      }
      BenchResults.BatchStats full = m.fullBatches();
      BenchResults.BatchStats all = m.allBatches();
      BenchResults.DeltaCommits dc = m.deltaCommits();
      BenchResults.TableShape shape = m.tableAfter();
      line(md, "| merge %s | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", m.mode(), r.config.initialIssues(),
          full == null ? "0" : Integer.toString(full.count()), full == null ? "–" : ms(full.medianMillis()),
          full == null || full.medianParts() == null ? "–" : String.format(Locale.ROOT, "%s / %s / %s",
              ms(full.medianParts().planMillis()), ms(full.medianParts().logMillis()), ms(full.medianParts().compactionMillis())),
          full == null ? "–" : ms(full.p90Millis()), full == null ? "–" : ms(Math.round(full.meanMillis())),
          full == null ? "–" : ms(full.minMillis()) + "–" + ms(full.maxMillis()),
          all == null ? "0" : String.format(Locale.ROOT, "%d (%,.0f)", all.count(), all.meanEvents()),
          m.rowsRewrittenPerChange() == null ? "–" : String.format(Locale.ROOT, "%.1f", m.rowsRewrittenPerChange()),
          m.sink() == null ? "–" : String.format(Locale.ROOT, "%d (%d)", m.sink().compactions(), m.sink().filesCompacted()),
          dc == null ? "–" : String.format(Locale.ROOT, "%d (%d), %,d / %,d", dc.commits(), dc.maintenance(), dc.filesAdded(), dc.filesRemoved()),
          shape == null ? "–" : String.format(Locale.ROOT, "%,d, %,d of %,d (%.1f %%)", shape.files(), shape.deletedRows(), shape.rows(),
              100 * shape.deletedShare()));
    }
    if (r.rawBatches != null) {
      BenchResults.BatchStats b = r.rawBatches;
      line(md, "| raw append | %,d | – | %s | – | %s | %s | %s–%s | %d (%,.0f) | – | – | – | – |", r.config.initialIssues(), ms(b.medianMillis()),
          ms(b.p90Millis()), ms(Math.round(b.meanMillis())), ms(b.minMillis()), ms(b.maxMillis()), b.count(), b.meanEvents());
    }
    line(md, "");
    line(md, "Rows rewritten per merged event: the sink's JMX `RowsRewritten` (rows read from files a batch rewrote) plus "
        + "`RowsCompacted` (live rows merge_on_read's self-compaction wrote again) over "
        + "`EventsWritten` (model records merged) during the merge phase; compactions: its `Compactions` and `FilesCompacted` "
        + "(merge_on_read's self-compaction) in the same window. A batch's time is the sink's own figure for its commit: "
        + "work done while the batch filled is excluded (decoding; for raw append writing each row into the batch's files; "
        + "for merges turning each event into its rows), the rest included (closing files, locating keys, writing the "
        + "merged rows, the Delta commit, and for merge_on_read the self-compaction it carries after the commit). "
        + "Plan / log / self-compaction: each part's median over the same batches, from the sink's log line (plan: closing "
        + "the batch's files, locating and marking replaced rows, writing deletion vectors; log: the Delta commit; checkpoints "
        + "are written in the background; self-compaction: committing a round the task's compaction thread finished since "
        + "the last flush, or with `compaction.in.background=false` the whole round). Table after: the refined table's live "
        + "files when the window ended, and the rows their deletion vectors mark, which self-compaction has not purged yet. "
        + "Events/s figures include everything, the compaction thread's CPU too.");
    line(md, "");
  }

  private static void freshness(StringBuilder md, BenchResults r) {
    if (r.freshness.isEmpty()) {
      return;
    }
    line(md, "## Freshness at a fixed produce rate");
    line(md, "");
    line(md, "| mode | target rate | achieved | events produced | model records timed | p50 | p90 | p99 | max | never visible | flush.interval.ms | batches (median time, mean size) |");
    line(md, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (BenchResults.Freshness f : r.freshness) {
      line(md, "| %s | %,.0f/s | %,.0f/s | %,d | %,d | %s | %s | %s | %s | %,d | %,d | %s |", f.mode(), f.targetRate(), f.achievedRate(),
          f.produced(), f.modelRecords(), msOrInf(f.p50Millis()), msOrInf(f.p90Millis()), msOrInf(f.p99Millis()), msOrInf(f.maxMillis()),
          f.notVisible(), f.flushIntervalMs(), f.batches() == null ? "–"
              : String.format(Locale.ROOT, "%d (%s, %,.0f)", f.batches().count(), ms(f.batches().medianMillis()), f.batches().meanEvents()));
    }
    line(md, "");
    line(md, "Latency of an event = time its log file made visible the first refined snapshot whose `txn` for the event's "
        + "model partition covers its model record's offset, minus the record's produce timestamp. Events last-write-wins "
        + "dropped never reach the model topic and are not timed; \"never visible\" counts events not visible when the "
        + "drain timeout (%s) ran out, and they rank as infinitely late (∞) in the percentiles.", r.config.drainTimeout());
    line(md, "");
    line(md, "Where the time went, per stage:");
    line(md, "");
    line(md, "| mode | events split | streams topology p50 | streams topology p99 | sink p50 | sink p99 |");
    line(md, "|---|---:|---:|---:|---:|---:|");
    for (BenchResults.Freshness f : r.freshness) {
      if (f.streams() == null || f.sink() == null) {
        continue;
      }
      line(md, "| %s | %,d | %s | %s | %s | %s |", f.mode(), f.streams().events(), msOrInf(f.streams().p50Millis()),
          msOrInf(f.streams().p99Millis()), msOrInf(f.sink().p50Millis()), msOrInf(f.sink().p99Millis()));
    }
    line(md, "");
    line(md, "Streams topology = produce timestamp to the model record being readable by a read_committed consumer (the "
        + "topology's exactly-once transaction committed it); sink = from then to the refined snapshot that shows it. "
        + "Percentiles of each stage are taken separately, so they do not add up to the end-to-end ones.%s",
        r.config.runs(BenchConfig.Phase.RAW) ? " The raw append connector keeps running through this phase and appends the "
            + "same events, as in a deployment: the whole pipeline shares the machine's two cores with the broker and the "
            + "producer (its events were generated before the window)." : " The events were generated before the window; "
            + "the producer sending them shares the machine with the pipeline.");
    line(md, "");
    freshnessTimeline(md, r);
  }

  /** Latency by produce time: shows whether a stage fell behind, caught up, or held a steady lag. */
  private static void freshnessTimeline(StringBuilder md, BenchResults r) {
    boolean any = r.freshness.stream().anyMatch(f -> f.timeline() != null && !f.timeline().isEmpty());
    if (!any) {
      return;
    }
    line(md, "Over the window, by when the event was produced (%d s slices):", FreshnessProbe.SLICE_MILLIS / 1000);
    line(md, "");
    line(md, "| mode | produced at | events | p50 | p99 | streams topology p50 | streams topology p99 |");
    line(md, "|---|---:|---:|---:|---:|---:|---:|");
    for (BenchResults.Freshness f : r.freshness) {
      if (f.timeline() == null) {
        continue;
      }
      for (FreshnessProbe.Slice s : f.timeline()) {
        line(md, "| %s | %d–%d s | %,d | %s | %s | %s | %s |", f.mode(), s.startMillis() / 1000,
            (s.startMillis() + FreshnessProbe.SLICE_MILLIS) / 1000, s.events(), msOrInf(s.p50Millis()), msOrInf(s.p99Millis()),
            msOrInf(s.topologyP50Millis()), msOrInf(s.topologyP99Millis()));
      }
    }
    line(md, "");
  }

  private static void heap(StringBuilder md, BenchResults r) {
    BenchResults.Heap h = r.heap;
    if (h == null) {
      return;
    }
    line(md, "## Writer heap (Connect worker JVM, -Xmx%s, from its GC log)", h.maxHeap());
    line(md, "");
    line(md, "| window | collections | peak after GC | peak before GC | peak committed | full GCs | live after a full GC (max) | GC pauses (full GCs), share of the window |");
    line(md, "|---|---:|---:|---:|---:|---:|---:|---:|");
    peaksRow(md, "whole run", r.wallMillis, h.overall());
    for (BenchResults.NamedPeaks p : h.phases()) {
      peaksRow(md, p.phase(), p.windowMillis(), p.peaks());
    }
    line(md, "");
    boolean parallel = r.config.workerJvmOptions().contains("-XX:+UseParallelGC");
    line(md, "OutOfMemoryError in the worker log: %s. The occupancy after a young collection includes old garbage (the old "
        + "generation is collected only %s), so the peak after GC is an upper bound of the live data. A full GC leaves only live "
        + "objects: its result is the writer's live data at that moment. %s", h.outOfMemory() ? "**yes**" : "no",
        parallel ? "by full collections, when it fills" : "once it passes G1's occupancy threshold",
        parallel ? "This worker ran the parallel collector, for which full collections are the normal way to empty the old "
            + "generation: a worker that finished at -Xmx" + h.maxHeap() + " without OutOfMemoryError ran within it, and the "
            + "pause share shows what the collector cost."
            : "A worker that never needed a full GC (G1's last resort when the heap is exhausted) at -Xmx" + h.maxHeap()
            + " ran within it.");
    line(md, "");
  }

  private static void peaksRow(StringBuilder md, String name, long windowMillis, HeapProbe.Peaks p) {
    line(md, "| %s | %d | %s | %s | %s | %d | %s | %s (%s), %.0f%% |", name, p.collections(), mib(p.maxAfterBytes()), mib(p.maxBeforeBytes()),
        mib(p.maxCommittedBytes()), p.fullCollections(), p.fullCollections() == 0 ? "–" : mib(p.maxLiveAfterFullBytes()),
        ms(p.pauseMillis()), ms(p.fullPauseMillis()),
        windowMillis <= 0 ? 0 : 100.0 * p.pauseMillis() / windowMillis);
  }

  private static void correctness(StringBuilder md, BenchResults r) {
    BenchResults.Correctness c = r.correctness;
    line(md, "## Correctness (same run)");
    line(md, "");
    if (c == null) {
      line(md, "Not reached: the run failed before the check (%s).", r.failure);
      line(md, "");
      return;
    }
    if (c.raw() != null) {
      BenchResults.RawCheck raw = c.raw();
      line(md, "- raw table `%s`: **%s** — %,d records produced, %,d rows, %,d distinct (partition, offset), %,d missing, "
              + "%,d duplicated, %,d unknown, content digest %s.", SinkConnectors.RAW_TABLE, raw.ok() ? "OK" : "MISMATCH", raw.produced(),
          raw.rows(), raw.distinctCoordinates(), raw.missing(), raw.duplicates(), raw.unexpected(), raw.digestMatches() ? "equal" : "different");
      sample(md, raw.sample());
    }
    for (BenchResults.RefinedCheck f : c.refined()) {
      line(md, "- refined table `%s` against the oracle: **%s** — %,d rows, %,d expected (live entities), %,d missing, %,d unknown, "
              + "%,d deleted but present, %,d wrong version, %,d wrong content, %,d duplicate rows.", SinkConnectors.mergeTable(f.mode()),
          f.ok() ? "OK" : "MISMATCH", f.rows(), f.expectedRows(), f.missing(), f.unexpected(), f.deletedButPresent(), f.wrongVersion(),
          f.wrongContent(), f.duplicateRows());
      sample(md, f.sample());
    }
    line(md, "- dead-letter topics (`%s`, `%s`): %,d records.", PipelineHarness.STREAMS_DLQ, PipelineHarness.SINK_DLQ, c.deadLetters());
    line(md, "");
  }

  private static void sample(StringBuilder md, List<String> sample) {
    if (sample.isEmpty()) {
      return;
    }
    line(md, "");
    line(md, "  ```");
    sample.forEach(s -> line(md, "  %s", s));
    line(md, "  ```");
  }

  private static void targets(StringBuilder md, BenchResults r) {
    line(md, "## Targets (issue 7, this machine)");
    line(md, "");
    line(md, "| target | this run | verdict |");
    line(md, "|---|---|---|");
    if (r.raw != null && r.raw.ratioToBaseline() != null) {
      line(md, "| raw append ≥ 0.5 × baseline | %.3f × | %s |", r.raw.ratioToBaseline(), verdict(r.raw.ratioToBaseline() >= TARGET_RAW_RATIO));
    } else {
      line(md, "| raw append ≥ 0.5 × baseline | not measured | – |");
    }
    for (BenchResults.Merge m : r.merges) {
      if (!m.available() || m.throughput() == null) {
        line(md, "| merge into 10M ≥ 50,000 events/s (%s) | not measured: %s | – |", m.mode(),
            m.available() ? "phase not run" : "mode not available");
        continue;
      }
      if (r.config.initialIssues() >= TEN_MILLION) {
        line(md, "| merge into 10M ≥ 50,000 events/s (%s) | %,.0f events/s | %s |", m.mode(), m.throughput().eventsPerSecond(),
            verdict(m.throughput().eventsPerSecond() >= TARGET_MERGE_EPS_AT_10M));
      } else {
        line(md, "| merge into 10M ≥ 50,000 events/s (%s) | not measured at N = 10M; at N = %,d: %,.0f events/s | %s |", m.mode(),
            r.config.initialIssues(), m.throughput().eventsPerSecond(),
            m.throughput().eventsPerSecond() < TARGET_MERGE_EPS_AT_10M ? "missed already at this N" : "open (needs N = 10M)");
      }
      BenchResults.BatchStats full = m.fullBatches();
      line(md, "| batch time at 10M ≤ 1.3 × at 1M (%s) | median %s at N = %,d (compare with the other N's run) | needs runs at both N |",
          m.mode(), full == null ? "– (no full batch)" : ms(full.medianMillis()), r.config.initialIssues());
    }
    for (BenchResults.Freshness f : r.freshness) {
      boolean atRate = f.targetRate() >= 10_000;
      line(md, "| freshness p99 ≤ 5 s at 10k events/s (%s) | p99 %s at %,.0f/s | %s |", f.mode(), msOrInf(f.p99Millis()), f.targetRate(),
          !atRate ? "not at 10k/s" : verdict(f.p99Millis() != null && f.p99Millis() <= TARGET_FRESHNESS_P99_MILLIS));
    }
    if (r.heap != null) {
      long peak = r.heap.overall().maxAfterBytes();
      // Within the budget: the writer ran to the end in a heap capped at 1 GiB. Full collections are
      // reported (with the live data they left) but are a cost the throughput figures already carry.
      boolean within = heapBytes(r.heap.maxHeap()) <= TARGET_HEAP_BYTES && !r.heap.outOfMemory() && r.failure == null;
      line(md, "| writer heap ≤ 1 GiB | ran in -Xmx%s%s; peak after GC %s, peak committed %s, %d full GCs%s | %s |", r.heap.maxHeap(),
          r.heap.outOfMemory() ? " until an OutOfMemoryError" : " to the end", mib(peak), mib(r.heap.overall().maxCommittedBytes()),
          r.heap.overall().fullCollections(), r.heap.overall().fullCollections() == 0 ? ""
              : " (live data after them at most " + mib(r.heap.overall().maxLiveAfterFullBytes()) + ")", verdict(within));
    }
    line(md, "");
  }

  private static void comparison(StringBuilder md, BenchResults r) {
    line(md, "## Against the seed's architecture (issue 7's figures: Spark 4.0.1 + delta-spark MERGE, 50,000-event batches, this machine, N = 1M)");
    line(md, "");
    line(md, "| figure | Spark + delta-spark | meshlake, this run (N = %,d) |", r.config.initialIssues());
    line(md, "|---|---:|---:|");
    line(md, "| plain consumer decoding, events/s | %,.0f | %s |", SPARK_PLAIN_CONSUMER_EPS,
        r.baselineThroughput == null ? "–" : String.format(Locale.ROOT, "%,.0f", r.baselineThroughput.eventsPerSecond()));
    line(md, "| raw append, events/s | %,.0f | %s |", SPARK_RAW_EPS,
        r.raw == null ? "–" : String.format(Locale.ROOT, "%,.0f", r.raw.eventsPerSecond()));
    for (BenchResults.Merge m : r.merges) {
      if (m.available() && m.throughput() != null) {
        line(md, "| merge (%s), events/s | %,.0f | %,.0f |", m.mode(), SPARK_MERGE_EPS, m.throughput().eventsPerSecond());
        line(md, "| median 50,000-event batch (%s) | %s | %s |", m.mode(), ms(SPARK_MEDIAN_BATCH_MILLIS),
            m.fullBatches() == null ? "–" : ms(m.fullBatches().medianMillis()));
        line(md, "| rows rewritten per event applied (%s) | %.0f | %s |", m.mode(), SPARK_ROWS_REWRITTEN_PER_EVENT,
            m.rowsRewrittenPerChange() == null ? "–" : String.format(Locale.ROOT, "%.1f", m.rowsRewrittenPerChange()));
      }
    }
    line(md, "");
    line(md, "The Spark figures are the issue's, not re-measured here; compare ratios to each run's own baseline first "
        + "(159,000 vs this run's baseline shows how loaded the shared machine was).");
    line(md, "");
  }

  private static void profiles(StringBuilder md, BenchResults r) {
    if (r.profiles.isEmpty()) {
      return;
    }
    line(md, "## Writer profiles (JFR execution samples of the sink task threads)");
    line(md, "");
    line(md, "A task thread counts in a window when its samples there show the window's writer class; \"self\" is the leaf "
        + "frame, \"on the stack\" any frame (each method once per sample).");
    line(md, "");
    for (ProfileSummary.Profile p : r.profiles) {
      line(md, "### %s — %,d samples (threads running %s)", p.window(), p.samples(), p.writerClass());
      line(md, "");
      line(md, "| top self frames | share | | top frames on the stack | share |");
      line(md, "|---|---:|---|---|---:|");
      int n = Math.max(p.self().size(), p.total().size());
      for (int i = 0; i < n; i++) {
        ProfileSummary.Frame s = i < p.self().size() ? p.self().get(i) : null;
        ProfileSummary.Frame t = i < p.total().size() ? p.total().get(i) : null;
        line(md, "| %s | %s | | %s | %s |", s == null ? "" : "`" + s.method() + "`", s == null ? "" : pct(s.share()),
            t == null ? "" : "`" + t.method() + "`", t == null ? "" : pct(t.share()));
      }
      line(md, "");
    }
  }

  private static void initialLoad(StringBuilder md, BenchResults r) {
    BenchResults.InitialLoad i = r.initialLoad;
    if (i == null) {
      return;
    }
    line(md, "## Initial load (N inserts; each connector alone, from its deployment)");
    line(md, "");
    line(md, "| stage | events | time | events/s |");
    line(md, "|---|---:|---:|---:|");
    line(md, "| produce (generate, encode, send; acks=all) | %,d | %s | %,.0f |", r.config.initialIssues(),
        Progress.duration(i.produceMillis() / 1000.0), i.produceMillis() == 0 ? 0 : r.config.initialIssues() * 1000.0 / i.produceMillis());
    line(md, "| streams topology caught up (from the first insert produced) | %,d | %s | %,.0f |", r.config.initialIssues(),
        Progress.duration(i.streamsMillis() / 1000.0), i.streamsMillis() == 0 ? 0 : r.config.initialIssues() * 1000.0 / i.streamsMillis());
    if (i.raw() != null) {
      line(md, "| raw append | %,d | %s | %,.0f |", i.raw().events(), Progress.duration(i.raw().millis() / 1000.0), i.raw().eventsPerSecond());
    }
    for (BenchResults.ModeThroughput m : i.merges()) {
      line(md, "| merge, %s (inserts into an empty table) | %,d | %s | %,.0f |", m.mode(), m.throughput().events(),
          Progress.duration(m.throughput().millis() / 1000.0), m.throughput().eventsPerSecond());
    }
    line(md, "");
    for (BenchResults.ModeThroughput m : i.merges()) {
      BenchResults.CompactionSettle s = m.settle();
      if (s != null) {
        BenchResults.TableShape t = s.tableAfter();
        line(md, "Then %s's self-compaction, the connector idle, until nothing was due: %s, %,d rounds of %,d files; the table "
            + "then held %,d live files, %,d of %,d rows in deletion vectors (%.1f %%). The change stream starts on that table.",
            m.mode(), Progress.duration(s.millis() / 1000.0), s.rounds(), s.files(), t.files(), t.deletedRows(), t.rows(),
            100 * t.deletedShare());
        line(md, "");
      }
    }
  }

  static long heapBytes(String xmx) {
    long v = Long.parseLong(xmx.substring(0, xmx.length() - 1));
    return Character.toLowerCase(xmx.charAt(xmx.length() - 1)) == 'g' ? v << 30 : v << 20;
  }

  static String verdict(boolean met) {
    return met ? "met" : "**missed**";
  }

  static String ms(long millis) {
    return millis >= 10_000 ? String.format(Locale.ROOT, "%.1f s", millis / 1000.0) : String.format(Locale.ROOT, "%,d ms", millis);
  }

  private static String msOrInf(Long millis) {
    return millis == null ? "∞" : ms(millis);
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%,d MiB", bytes >> 20);
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f%%", share * 100);
  }

  private static String escape(String s) {
    return s == null ? "" : s.replace("|", "\\|");
  }

  static void line(StringBuilder md, String format, Object... args) {
    md.append(args.length == 0 ? format : String.format(Locale.ROOT, format, args)).append('\n');
  }
}
