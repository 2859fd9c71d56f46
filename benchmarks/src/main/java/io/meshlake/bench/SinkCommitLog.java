package io.meshlake.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the sink's batch commits from the worker's log, where each task logs
 * {@code committed N events of <topic>-<partition> up to offset X in Y ms}, a merge followed by
 * {@code (plan A ms, log B ms, self-compaction C ms)} (lines stamped in epoch
 * milliseconds by bench-worker-log4j2.xml, on Connect's task thread {@code task-thread-<connector>-<task>}).
 * Also keeps the worker's ERROR lines, which a run reports. Reads incrementally.
 */
final class SinkCommitLog {

  static final Pattern COMMIT = Pattern.compile(
      "^(\\d+) +INFO +\\[task-thread-(.+)-(\\d+)\\] .*committed (\\d+) events of (.+)-(\\d+) up to offset (\\d+) in (\\d+) ms"
          + "(?: \\(plan (\\d+) ms, log (\\d+) ms, self-compaction (\\d+) ms\\))?");
  static final Pattern OPENED = Pattern.compile(
      "^(\\d+) +INFO +\\[task-thread-(.+)-(\\d+)\\] .* (.+)-(\\d+) resumes at offset (\\d+)");
  private static final Pattern ERROR = Pattern.compile("^(\\d+) +ERROR +");

  static final Pattern CLOSED = Pattern.compile(
      "^(\\d+) +INFO +\\[task-thread-(.+)-(\\d+)\\] .* (.+)-(\\d+) closed \\(");

  /** A task took a partition (after rebuilding what it needs, e.g. merge_on_read's key locator), or gave it up. */
  record Ownership(long atMillis, String connector, int task, String topic, int partition, boolean open) {}

  private final List<Ownership> ownership = new ArrayList<>();

  /** One committed batch; a merge also logs where its time went (else the parts are null). */
  record BatchCommit(long atMillis, String connector, int task, int events, String topic, int partition, long offset, long millis,
      Parts parts) {}

  /** A merge commit's time: planning (files closed, deletion vectors written), the Delta log, self-compaction after it. */
  record Parts(long planMillis, long logMillis, long compactionMillis) {}

  private final Path file;
  private final List<BatchCommit> commits = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private long position;
  private final StringBuilder partial = new StringBuilder();

  SinkCommitLog(Path file) {
    this.file = file;
  }

  /** Reads what the worker logged since the last call. */
  synchronized void refresh() {
    if (!Files.exists(file)) {
      return;
    }
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      if (length <= position) {
        return;
      }
      in.seek(position);
      byte[] bytes = new byte[(int) Math.min(length - position, 64L << 20)];
      in.readFully(bytes);
      position += bytes.length;
      partial.append(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
    int start = 0;
    for (int nl = partial.indexOf("\n"); nl >= 0; nl = partial.indexOf("\n", start)) {
      accept(partial.substring(start, nl));
      start = nl + 1;
    }
    partial.delete(0, start);
  }

  void accept(String line) {
    Matcher m = COMMIT.matcher(line);
    if (m.find()) {
      commits.add(new BatchCommit(Long.parseLong(m.group(1)), m.group(2), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)),
          m.group(5), Integer.parseInt(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
          m.group(9) == null ? null : new Parts(Long.parseLong(m.group(9)), Long.parseLong(m.group(10)), Long.parseLong(m.group(11)))));
    } else if ((m = OPENED.matcher(line)).find() || (m = CLOSED.matcher(line)).find()) {
      ownership.add(new Ownership(Long.parseLong(m.group(1)), m.group(2), Integer.parseInt(m.group(3)), m.group(4),
          Integer.parseInt(m.group(5)), m.pattern() == OPENED));
    } else if (ERROR.matcher(line).find() && errors.size() < 1000) {
      errors.add(line);
    }
  }

  /**
   * The batches a connector committed of a phase's offsets: partition p's batches ending after
   * {@code after[p]} and at most at {@code upTo[p]}. (Offsets, not times: a task logs its batch after
   * whatever it does after the commit, e.g. merge_on_read's self-compaction.)
   */
  synchronized List<BatchCommit> commits(String connector, String topic, long[] after, long[] upTo) {
    return commits.stream()
        .filter(c -> c.connector().equals(connector) && c.topic().equals(topic) && c.partition() < upTo.length
            && c.offset() > after[c.partition()] && c.offset() <= upTo[c.partition()])
        .toList();
  }

  /** Whether the connector has logged, for every partition p with {@code upTo[p] >= 0}, a batch ending at or past it. */
  synchronized boolean logged(String connector, String topic, long[] upTo) {
    for (int p = 0; p < upTo.length; p++) {
      int partition = p;
      if (upTo[p] >= 0 && commits.stream().noneMatch(c -> c.connector().equals(connector) && c.topic().equals(topic)
          && c.partition() == partition && c.offset() >= upTo[partition])) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether the connector's tasks have settled on the topic's partitions since {@code sinceMillis}:
   * each partition was last opened (not closed) after then, by {@code tasks} different tasks. A
   * reconfiguration can pass through an interim assignment (some tasks holding two partitions) before
   * the final one; this waits for the final one to be open.
   */
  synchronized boolean opened(String connector, String topic, int partitions, int tasks, long sinceMillis) {
    java.util.Set<Integer> owners = new java.util.HashSet<>();
    for (int p = 0; p < partitions; p++) {
      Ownership last = null;
      for (Ownership o : ownership) {
        if (o.connector().equals(connector) && o.topic().equals(topic) && o.partition() == p) {
          last = o;
        }
      }
      if (last == null || !last.open() || last.atMillis() < sinceMillis) {
        return false;
      }
      owners.add(last.task());
    }
    return owners.size() == Math.min(tasks, partitions);
  }

  synchronized List<String> errors() {
    return List.copyOf(errors);
  }
}
