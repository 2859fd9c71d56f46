package io.meshlake.bench;

import io.meshlake.streams.StreamsTopologyApp;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Waiting for the pipeline's stages to catch up, with progress lines and health checks on the way
 * (the streams application running, the worker alive, the connector's tasks not failed), so a broken
 * run stops with the reason instead of waiting out its timeout.
 */
final class PipelineWaits {

  private static final long POLL_MILLIS = 200;
  private static final long HEALTH_EVERY_MILLIS = 5_000;
  /** Short: the poll's interval bounds how early the throughput windows open. */
  private static final long FIRST_READ_POLL_MILLIS = 5;

  private final TopicOffsets offsets;
  private final StreamsTopologyApp streams;
  private final String streamsGroup;
  private final ConnectWorker worker;
  private final SinkConnectors connectors;
  private final Duration timeout;

  PipelineWaits(TopicOffsets offsets, StreamsTopologyApp streams, String streamsGroup, ConnectWorker worker, SinkConnectors connectors,
      Duration timeout) {
    this.offsets = offsets;
    this.streams = streams;
    this.streamsGroup = streamsGroup;
    this.worker = worker;
    this.connectors = connectors;
    this.timeout = timeout;
  }

  /** Waits until the streams topology has committed every ingress record below {@code ends}. */
  void awaitStreams(String phase, String topic, long[] starts, long[] ends) {
    long total = TopicOffsets.sum(ends) - TopicOffsets.sum(starts);
    Progress progress = Progress.start(phase, total, "events");
    long until = System.nanoTime() + timeout.toNanos();
    while (true) {
      checkStreams();
      long[] committed = offsets.committed(streamsGroup, topic, ends.length);
      long done = 0;
      boolean caughtUp = true;
      for (int p = 0; p < ends.length; p++) {
        done += Math.max(0, Math.min(committed[p], ends[p]) - starts[p]);
        caughtUp &= committed[p] >= ends[p];
      }
      if (caughtUp) {
        progress.done(done);
        return;
      }
      progress.update(done);
      if (System.nanoTime() > until) {
        throw new IllegalStateException(phase + ": the streams topology did not catch up within " + timeout + " (" + done + " of " + total + ")");
      }
      ConnectWorker.sleep(POLL_MILLIS * 2);
    }
  }

  /**
   * Waits until the connector's table records, for every partition p, offset {@code last[p]} (p with
   * {@code last[p] < 0} need nothing); progress counts offsets above {@code start[p]}. Returns when the
   * table first held them all (epoch millis of the commit), or -1 after {@code limit} when
   * {@code failOnTimeout} is false.
   */
  long awaitTable(String phase, DeltaLogWatcher watcher, String connector, String topic, long[] start, long[] last, Duration limit,
      boolean failOnTimeout) {
    Map<String, Long> targets = new HashMap<>();
    long total = 0;
    for (int p = 0; p < last.length; p++) {
      targets.put(SinkConnectors.appId(connector, topic, p), last[p]);
      total += Math.max(0, last[p] - start[p]);
    }
    Progress progress = Progress.start(phase, total, "offsets");
    long until = System.nanoTime() + limit.toNanos();
    long nextHealth = System.currentTimeMillis() + HEALTH_EVERY_MILLIS;
    while (true) {
      watcher.refresh();
      OptionalLong covered = watcher.coveredAt(targets);
      long done = 0;
      for (int p = 0; p < last.length; p++) {
        long at = watcher.offset(SinkConnectors.appId(connector, topic, p));
        done += Math.max(0, Math.min(at, last[p]) - start[p]);
      }
      if (covered.isPresent()) {
        progress.done(done);
        return covered.getAsLong();
      }
      progress.update(done);
      if (System.currentTimeMillis() > nextHealth) {
        worker.checkAlive();
        connectors.checkHealthy(connector);
        checkStreams();
        nextHealth = System.currentTimeMillis() + HEALTH_EVERY_MILLIS;
      }
      if (System.nanoTime() > until) {
        if (failOnTimeout) {
          throw new IllegalStateException(phase + ": " + connector + " did not write up to " + java.util.Arrays.toString(last)
              + " of " + topic + " within " + limit + " (" + done + " of " + total + " offsets)");
        }
        Progress.say("%s: gave up waiting after %s (%,d of %,d offsets)", phase, limit, done, total);
        return -1;
      }
      ConnectWorker.sleep(POLL_MILLIS);
    }
  }

  /**
   * Waits until the connector's tasks have read a record beyond {@code readBefore}, Connect's read
   * counter as it stood at {@code readBeforeAt} (epoch millis). Returns the epoch millis of the last
   * reading that still showed none: at or before the first record was read, so a window opened there
   * is never shortened by the polling.
   */
  long awaitFirstRead(String phase, SinkMetricsProbe probe, String connector, long readBefore, long readBeforeAt) {
    long until = System.nanoTime() + timeout.toNanos();
    long nextHealth = System.currentTimeMillis() + HEALTH_EVERY_MILLIS;
    long lastNone = readBeforeAt;
    while (true) {
      long readingAt = System.currentTimeMillis();
      if (probe.recordsRead(connector) > readBefore) {
        return lastNone;
      }
      lastNone = readingAt;
      if (readingAt > nextHealth) {
        worker.checkAlive();
        connectors.checkHealthy(connector);
        nextHealth = readingAt + HEALTH_EVERY_MILLIS;
      }
      if (System.nanoTime() > until) {
        throw new IllegalStateException(phase + ": " + connector + " read nothing within " + timeout + " of being resumed");
      }
      ConnectWorker.sleep(FIRST_READ_POLL_MILLIS);
    }
  }

  /** How long the sink's CompactionPending gauge must read 0 to count as settled: longer than its idle refresh (1 s). */
  static final long SETTLED_FOR_MILLIS = 3_000;

  /**
   * Waits until the connector's self-compaction has nothing due and no round under way, read twice
   * {@link #SETTLED_FOR_MILLIS} apart (the gauge is refreshed by idle tasks about every second).
   * Returns when the gauge last read non-zero (or the wait started, if it never did).
   */
  long awaitCompactionSettled(String phase, SinkMetricsProbe probe, String connector, Duration limit) {
    long started = System.currentTimeMillis();
    long until = System.nanoTime() + limit.toNanos();
    long nextHealth = started + HEALTH_EVERY_MILLIS;
    long nextSay = started + 10_000;
    long lastPending = started;
    long zeroSince = -1;
    Progress.say("%s: started", phase);
    while (true) {
      long now = System.currentTimeMillis();
      long pending = probe.compactionPending(connector);
      if (pending > 0) {
        lastPending = now;
        zeroSince = -1;
      } else if (zeroSince < 0) {
        zeroSince = now;
      } else if (now - zeroSince >= SETTLED_FOR_MILLIS) {
        Progress.say("%s: nothing due after %s", phase, Progress.duration((lastPending - started) / 1000.0));
        return lastPending;
      }
      if (now > nextSay) {
        Progress.say("%s: %d partitions with files due or a round under way, %s so far", phase, pending,
            Progress.duration((now - started) / 1000.0));
        nextSay = now + 10_000;
      }
      if (now > nextHealth) {
        worker.checkAlive();
        connectors.checkHealthy(connector);
        nextHealth = now + HEALTH_EVERY_MILLIS;
      }
      if (System.nanoTime() > until) {
        throw new IllegalStateException(phase + ": " + connector + " still had compaction pending after " + limit);
      }
      ConnectWorker.sleep(500);
    }
  }

  private void checkStreams() {
    KafkaStreams.State state = streams.state();
    if (state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING || state == KafkaStreams.State.PENDING_ERROR) {
      throw new IllegalStateException("the streams topology stopped (" + state + ")"
          + (streams.fatalError() == null ? "" : ": " + streams.fatalError()), streams.fatalError());
    }
  }
}
