package io.meshlake.sink.writer;

import java.util.List;

/**
 * Writes the batches of one Kafka partition into its table(s), exactly once: every commit carries the
 * partition's last offset, and events at or below what a table already records are skipped.
 */
public interface BatchWriter {

  /**
   * The offset from which this partition must be read again: one past the lowest offset any of its
   * tables records, or 0 when none records one.
   */
  long resumeOffset();

  /**
   * Writes the events (decoded, in offset order) and records {@code lastOffset} — the last offset
   * consumed, good or bad — in each table the batch touched (or that lags too far).
   */
  void write(List<SinkEvent> events, long lastOffset);
}
