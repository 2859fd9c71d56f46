package io.meshlake.sink.connect;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that buffered (decoded, not yet committed) events of every meshlake sink task in this
 * worker JVM hold together. Each task has its own flush thresholds, but a worker runs many tasks in
 * one heap: without a shared account, twelve tasks each buffering a full batch exhaust a 1 GiB heap
 * and the worker spends its time in garbage collection. A task whose partition holds at least its
 * fair share of an exhausted budget commits that partition early (see {@link DeltaSinkTask}).
 *
 * <p>Sizes are estimates from the record's wire size: a decoded event (envelope, payload message,
 * its strings) takes about three times its Confluent-framed bytes on the heap.
 */
final class BufferMemory {

  /** Heap bytes a decoded event takes per byte of its record value (measured with a heap histogram of a worker). */
  static final int HEAP_BYTES_PER_WIRE_BYTE = 3;
  /** Fixed heap per buffered event: the event record, its offsets, list slots. */
  static final int HEAP_BYTES_PER_EVENT = 256;

  /** All tasks of the plugin in this JVM share it (one plugin class loader per worker). */
  static final BufferMemory WORKER = new BufferMemory();

  private final AtomicLong used = new AtomicLong();
  private final AtomicInteger partitions = new AtomicInteger();

  static long estimate(long wireBytes) {
    return wireBytes * HEAP_BYTES_PER_WIRE_BYTE + HEAP_BYTES_PER_EVENT;
  }

  /**
   * Heap an event written straight into the open batch's data files takes: its encoded values in
   * Parquet pages (compressed once a page fills), at most about its wire size.
   */
  static long estimateEncoded(long wireBytes) {
    return wireBytes;
  }

  void reserve(long bytes) {
    used.addAndGet(bytes);
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  void partitionOpened() {
    partitions.incrementAndGet();
  }

  void partitionClosed() {
    partitions.decrementAndGet();
  }

  long used() {
    return used.get();
  }

  int partitions() {
    return Math.max(1, partitions.get());
  }

  /**
   * Whether a partition holding {@code partitionBytes} should commit now: the worker's buffers are
   * over {@code budget} and this partition holds at least an equal share of it. When the total is
   * over budget some partition always holds that much, so the memory is released by someone.
   */
  boolean mustRelease(long partitionBytes, long budget) {
    return used.get() > budget && partitionBytes > 0 && partitionBytes >= budget / partitions();
  }
}
