package io.meshlake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parsers the run's figures come from: GC log, worker log, Delta log. */
class ProbesTest {

  @TempDir Path dir;

  @Test
  void heapPeaksComeFromTheGcLog() {
    List<HeapProbe.Collection> gc = List.of(
        HeapProbe.parse("[1.234s][1700000000100ms] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 51M->7M(256M) 4.567ms"),
        HeapProbe.parse("[1700000000200ms][2.234s] GC(1) Pause Young (Concurrent Start) (G1 Humongous Allocation) 900M->612M(1024M) 9.1ms"),
        HeapProbe.parse("[1700000000300ms][3.234s] GC(2) Pause Full (G1 Compaction Pause) 1000M->700M(1024M) 120.5ms"));
    assertThat(gc).doesNotContainNull();
    assertThat(HeapProbe.parse("[1700000000300ms][3.234s] Using G1")).isNull();
    HeapProbe.Peaks all = HeapProbe.peaks(gc, 0, Long.MAX_VALUE);
    assertThat(all.collections()).isEqualTo(3);
    assertThat(all.maxAfterBytes()).isEqualTo(700L << 20);
    assertThat(all.maxBeforeBytes()).isEqualTo(1000L << 20);
    assertThat(all.maxCommittedBytes()).isEqualTo(1024L << 20);
    assertThat(all.fullCollections()).isEqualTo(1);
    assertThat(all.pauseMillis()).isEqualTo(134);
    assertThat(all.fullPauseMillis()).isEqualTo(121);
    assertThat(all.maxLiveAfterFullBytes()).as("what the full GC left").isEqualTo(700L << 20);
    assertThat(HeapProbe.peaks(gc, 0, 1700000000250L).maxLiveAfterFullBytes()).as("no full GC in the window").isZero();
    assertThat(HeapProbe.peaks(gc, 1700000000150L, 1700000000250L).maxAfterBytes()).isEqualTo(612L << 20);
  }

  @Test
  void batchCommitsComeFromTheWorkerLog() throws Exception {
    Path log = dir.resolve("worker.log");
    Files.writeString(log, String.join("\n",
        "1700000000000 INFO  [task-thread-bench-merge-copy-on-write-2] DeltaSinkTask - committed 50000 events of model.jira_issue-2 up to offset 123456 in 8123 ms (plan 7000 ms, log 1100 ms, self-compaction 23 ms)",
        "1700000000500 INFO  [task-thread-bench-raw-0] DeltaSinkTask - committed 1234 events of facsimile.jira-0 up to offset 99 in 35 ms",
        "1700000000600 ERROR [task-thread-bench-raw-0] DeltaSinkTask - commit of facsimile.jira-0 up to offset 100 failed",
        "1700000000700 INFO  [task-thread-bench-raw-1] DeltaSinkTask - committed 7 events of facsimile.jira-1 up to off"));
    SinkCommitLog commits = new SinkCommitLog(log);
    commits.refresh();
    long[] none = {-1, -1, -1, -1};
    long[] all = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
    List<SinkCommitLog.BatchCommit> merge = commits.commits("bench-merge-copy-on-write", "model.jira_issue", none, all);
    assertThat(merge).containsExactly(new SinkCommitLog.BatchCommit(1700000000000L, "bench-merge-copy-on-write", 2, 50_000,
        "model.jira_issue", 2, 123456, 8123, new SinkCommitLog.Parts(7000, 1100, 23)));
    assertThat(commits.commits("bench-raw", "facsimile.jira", none, all).get(0).parts()).as("raw append logs no parts").isNull();
    assertThat(commits.commits("bench-raw", "facsimile.jira", none, all)).hasSize(1);
    assertThat(commits.commits("bench-raw", "facsimile.jira", new long[] {99, -1, -1, -1}, all)).isEmpty();
    assertThat(commits.logged("bench-raw", "facsimile.jira", new long[] {99, -1, -1, -1})).isTrue();
    assertThat(commits.logged("bench-raw", "facsimile.jira", new long[] {100, -1, -1, -1})).isFalse();
    assertThat(commits.errors()).hasSize(1);
    // the half-written last line is completed by the next read
    Files.writeString(log, "set 8 in 12 ms\n", java.nio.file.StandardOpenOption.APPEND);
    commits.refresh();
    assertThat(commits.commits("bench-raw", "facsimile.jira", none, all)).hasSize(2);
  }

  @Test
  void reopenedPartitionsComeFromTheWorkerLog() throws Exception {
    Path log = dir.resolve("worker.log");
    String task = "INFO  [task-thread-bench-merge-merge-on-read-";
    java.util.function.BiFunction<Integer, Integer, String> open = (t, p) -> task + t + "] DeltaSinkTask - model.jira_issue-" + p
        + " resumes at offset 42 (from the tables' txn for bench-merge-merge-on-read/model.jira_issue/" + p + ")";
    java.util.function.BiFunction<Integer, Integer, String> close = (t, p) -> task + t + "] DeltaSinkTask - model.jira_issue-" + p
        + " closed (0 buffered events dropped; the next owner resumes from the tables' txn)";
    List<String> lines = new java.util.ArrayList<>();
    // before the reconfiguration: one partition per task
    for (int p = 0; p < 4; p++) {
      lines.add("1700000000000 " + open.apply(p, p));
    }
    // an interim assignment: tasks 1 and 2 hold two partitions each
    for (int p = 0; p < 4; p++) {
      lines.add("1700000001000 " + close.apply(p, p));
    }
    lines.add("1700000002000 " + open.apply(1, 0));
    lines.add("1700000002000 " + open.apply(1, 1));
    lines.add("1700000002000 " + open.apply(2, 2));
    lines.add("1700000002000 " + open.apply(2, 3));
    Files.writeString(log, String.join("\n", lines) + "\n");
    SinkCommitLog commits = new SinkCommitLog(log);
    commits.refresh();
    assertThat(commits.opened("bench-merge-merge-on-read", "model.jira_issue", 4, 4, 1699999999000L))
        .as("two tasks hold all four partitions: not the final assignment").isFalse();
    assertThat(commits.opened("bench-merge-merge-on-read", "model.jira_issue", 4, 2, 1699999999000L)).isTrue();
    // the final assignment: one partition per task, the last still opening
    List<String> more = new java.util.ArrayList<>();
    for (int p = 0; p < 4; p++) {
      more.add("1700000003000 " + close.apply(p < 2 ? 1 : 2, p));
    }
    for (int p = 0; p < 3; p++) {
      more.add("1700000009000 " + open.apply(p, p));
    }
    Files.writeString(log, String.join("\n", more) + "\n", java.nio.file.StandardOpenOption.APPEND);
    commits.refresh();
    assertThat(commits.opened("bench-merge-merge-on-read", "model.jira_issue", 4, 4, 1699999999000L)).as("partition 3 still closed").isFalse();
    Files.writeString(log, "1700000010000 " + open.apply(3, 3) + "\n", java.nio.file.StandardOpenOption.APPEND);
    commits.refresh();
    assertThat(commits.opened("bench-merge-merge-on-read", "model.jira_issue", 4, 4, 1699999999000L)).isTrue();
    assertThat(commits.opened("bench-merge-merge-on-read", "model.jira_issue", 4, 4, 1700000009500L))
        .as("opened before the given time").isFalse();
    assertThat(commits.opened("bench-merge-copy-on-write", "model.jira_issue", 1, 1, 0)).isFalse();
  }

  @Test
  void tableCoverageIsTheVisibilityTimeOfTheFirstCommitRecordingEachOffset() throws Exception {
    Path log = Files.createDirectories(dir.resolve("t/_delta_log"));
    commit(log, 0, 1_000, "{\"commitInfo\":{\"timestamp\":990}}", "{\"metaData\":{}}");
    commit(log, 1, 2_000, "{\"txn\":{\"appId\":\"c/t/0\",\"version\":10}}",
        "{\"add\":{\"path\":\"a\",\"stats\":\"{\\\"numRecords\\\":11}\"}}");
    commit(log, 2, 3_000, "{\"txn\":{\"appId\":\"c/t/1\",\"version\":5}}");
    DeltaLogWatcher watcher = new DeltaLogWatcher(dir.resolve("t"));
    watcher.refresh();
    assertThat(watcher.offset("c/t/0")).isEqualTo(10);
    assertThat(watcher.visibleAt("c/t/0", 7)).isEqualTo(2_000);
    assertThat(watcher.visibleAt("c/t/0", 11)).isEqualTo(-1);
    assertThat(watcher.coveredAt(Map.of("c/t/0", 10L, "c/t/1", 5L))).hasValue(3_000);
    assertThat(watcher.coveredAt(Map.of("c/t/0", 10L, "c/t/1", 6L))).isEmpty();
    assertThat(watcher.coveredAt(Map.of("c/t/0", 3L, "c/t/2", -1L))).hasValue(2_000);
    commit(log, 3, 4_000, "{\"txn\":{\"appId\":\"c/t/0\",\"version\":20}}");
    watcher.refresh();
    assertThat(watcher.visibleAt("c/t/0", 11)).isEqualTo(4_000);
    assertThat(watcher.commitsBetween(1_500, 3_500)).extracting(DeltaLogWatcher.Commit::version).containsExactly(1L, 2L);
    assertThat(watcher.commitsBetween(0, 2_000).get(1).addedRows()).isEqualTo(11);
  }

  private static void commit(Path log, long version, long mtime, String... actions) throws Exception {
    Path file = log.resolve(String.format("%020d.json", version));
    Files.writeString(file, String.join("\n", actions) + "\n");
    Files.setLastModifiedTime(file, FileTime.fromMillis(mtime));
  }

  @Test
  void freshnessPercentilesRankNeverVisibleEventsLast() {
    FreshnessProbe.Latencies all = new FreshnessProbe.Latencies(4, new long[] {10, 20, 30, 40}, 0, new long[0], new long[0], java.util.List.of());
    assertThat(all.quantile(0.5)).isEqualTo(20);
    assertThat(all.quantile(0.99)).isEqualTo(40);
    assertThat(all.max()).isEqualTo(40);
    FreshnessProbe.Latencies some = new FreshnessProbe.Latencies(100, java.util.stream.LongStream.range(0, 98).toArray(), 2, new long[0], new long[0], java.util.List.of());
    assertThat(some.quantile(0.5)).isEqualTo(49);
    assertThat(some.quantile(0.98)).isEqualTo(97);
    assertThat(some.quantile(0.99)).isNull();
    assertThat(some.max()).isNull();
  }

  @Test
  void stagePercentilesCoverTheMeasuredEventsOnly() {
    assertThat(FreshnessProbe.Latencies.stageQuantile(new long[0], 0.5)).isNull();
    long[] sorted = java.util.stream.LongStream.rangeClosed(1, 200).toArray();
    assertThat(FreshnessProbe.Latencies.stageQuantile(sorted, 0.5)).isEqualTo(100);
    assertThat(FreshnessProbe.Latencies.stageQuantile(sorted, 0.99)).isEqualTo(198);
    assertThat(FreshnessProbe.Latencies.stageQuantile(new long[] {7}, 0.99)).isEqualTo(7);
  }
}
