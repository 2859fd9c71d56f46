package io.meshlake.table.delta;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.hook.PostCommitHook;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the Delta checkpoints this JVM's commits call for on one background thread, so a commit
 * returns as soon as its log entry is durable. A checkpoint of a large table takes from a few hundred
 * milliseconds to seconds; written on the commit path it held back the writer's next batch, and
 * with it the freshness of every event waiting for that batch.
 *
 * <p>A table has at most one checkpoint waiting: a newer one replaces it (readers only need the
 * newest). A checkpoint that is not written (the process stops first, or it fails) only makes
 * readers replay more of the log; the commits themselves are already durable.
 */
final class Checkpointer {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);

  static final Checkpointer INSTANCE = new Checkpointer();

  private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "meshlake-delta-checkpointer");
    t.setDaemon(true);
    return t;
  });
  /** Per table path: the newest checkpoint waiting to be written. */
  private final Map<String, Pending> waiting = new HashMap<>();
  /** Per table path: checkpoints asked for and not yet written or dropped. */
  private final Map<String, Integer> outstanding = new HashMap<>();

  private record Pending(PostCommitHook hook, Engine engine, long version) {}

  /** Per table path: the newest version written, so an older checkpoint is never written after it. */
  private final Map<String, Long> written = new HashMap<>();

  /**
   * Queues the checkpoint {@code hook} of {@code tablePath} at {@code version}. Writers of one table
   * run their hooks after the commit, unordered: an older version than one waiting or written is dropped.
   */
  synchronized void submit(String tablePath, Engine engine, PostCommitHook hook, long version) {
    if (version <= written.getOrDefault(tablePath, -1L)) {
      return;
    }
    Pending previous = waiting.get(tablePath);
    if (previous != null) {
      if (previous.version() < version) {
        waiting.put(tablePath, new Pending(hook, engine, version)); // the queued task writes this one instead
      }
      return;
    }
    waiting.put(tablePath, new Pending(hook, engine, version));
    outstanding.merge(tablePath, 1, Integer::sum);
    thread.execute(() -> write(tablePath));
  }

  private void write(String tablePath) {
    Pending next;
    synchronized (this) {
      next = waiting.remove(tablePath);
      if (next != null) {
        written.merge(tablePath, next.version(), Math::max);
      }
    }
    try {
      if (next != null) {
        long started = System.nanoTime();
        next.hook().threadSafeInvoke(next.engine());
        LOG.info("wrote checkpoint of {} at version {} in {} ms", tablePath, next.version(),
            (System.nanoTime() - started) / 1_000_000);
      }
    } catch (Exception | LinkageError e) {
      LOG.warn("checkpoint of {} at version {} failed (readers replay more of the log until the next one): {}", tablePath,
          next.version(), e.toString());
    } finally {
      synchronized (this) {
        outstanding.merge(tablePath, -1, (a, b) -> a + b == 0 ? null : a + b);
        notifyAll();
      }
    }
  }

  /**
   * Waits until every checkpoint of {@code tablePath} asked for so far is written (or has failed).
   *
   * @return false if {@code timeout} ran out first
   */
  synchronized boolean await(String tablePath, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outstanding.containsKey(tablePath)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }
}
