package io.meshlake.sink.writer;

import java.util.List;

/**
 * Writes the batches of one Kafka partition into its table(s), exactly once: every commit carries the
 * partition's last offset, and events at or below what a table already records are skipped. A batch
 * is open from its first {@link #add} to its {@link #commit} or {@link #discard}; nothing of it is
 * visible before the commit.
 */
public interface BatchWriter {

  /**
   * The offset from which this partition must be read again: one past the lowest offset any of its
   * tables records, or 0 when none records one.
   */
  long resumeOffset();

  /** Takes the next event of the open batch (decoded, in offset order). */
  void add(SinkEvent event);

  /**
   * Whether the open batch keeps each event as Java objects until the commit (a merge keeps the newest
   * rows per key: it must see the whole batch before it writes); false when events are written to
   * data files as they arrive and the batch holds encoded pages.
   */
  boolean holdsDecodedEvents();

  /**
   * Writes the open batch and records {@code lastOffset} — the last offset consumed, good or bad — in
   * each table the batch touched (or that lags too far). The batch is closed afterwards, also when
   * this throws.
   */
  void commit(long lastOffset);

  /** Drops the open batch (the partition is revoked or rewound): nothing of it becomes visible. */
  void discard();

  /** Adds the events and commits them: one whole batch. */
  default void write(List<SinkEvent> events, long lastOffset) {
    for (SinkEvent event : events) {
      add(event);
    }
    commit(lastOffset);
  }
}
