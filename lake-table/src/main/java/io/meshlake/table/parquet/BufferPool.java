package io.meshlake.table.parquet;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Column buffers of closed data files, kept for the next files. A sink task writes one file per
 * workspace per batch, and each file's open pages live until the batch commits: allocated afresh,
 * they were the writer's largest allocation and were copied by every young collection of the
 * batch. Reused, they stay in the old generation. Arrays are powers of two in length; the pool
 * holds at most {@link #MAX_POOLED_BYTES} per JVM and lets the rest go to the collector.
 */
final class BufferPool {

  static final long MAX_POOLED_BYTES = 64L << 20;
  private static final int MIN_SHIFT = 6;
  /**
   * Arrays below this size are allocated, not pooled: they cost the collector little, and every
   * file's columns start with several, so pooling them made the sink's task threads contend on
   * the pool's smallest queues.
   */
  private static final int MIN_POOLED_SHIFT = 12;
  private static final int MAX_SHIFT = 30;

  static final BufferPool SHARED = new BufferPool(MAX_POOLED_BYTES);

  private final long maxBytes;
  private final AtomicLong pooledBytes = new AtomicLong();
  @SuppressWarnings("unchecked")
  private final ConcurrentLinkedQueue<byte[]>[] free = new ConcurrentLinkedQueue[MAX_SHIFT + 1];

  BufferPool(long maxBytes) {
    this.maxBytes = maxBytes;
    for (int i = MIN_SHIFT; i <= MAX_SHIFT; i++) {
      free[i] = new ConcurrentLinkedQueue<>();
    }
  }

  /** An array of at least {@code minLength} bytes (a power of two, at least 64); its content is undefined. */
  byte[] take(int minLength) {
    int shift = shiftFor(minLength);
    if (shift < MIN_POOLED_SHIFT) {
      return new byte[1 << shift];
    }
    byte[] b = free[shift].poll();
    if (b != null) {
      pooledBytes.addAndGet(-b.length);
      return b;
    }
    return new byte[1 << shift];
  }

  /** Returns an array from {@link #take}; the caller must not touch it afterwards. */
  void give(byte[] b) {
    if (b == null || Integer.bitCount(b.length) != 1 || b.length < (1 << MIN_POOLED_SHIFT)) {
      return;
    }
    if (pooledBytes.addAndGet(b.length) > maxBytes) {
      pooledBytes.addAndGet(-b.length);
      return;
    }
    free[Integer.numberOfTrailingZeros(b.length)].offer(b);
  }

  long pooledBytes() {
    return pooledBytes.get();
  }

  private static int shiftFor(int minLength) {
    if (minLength > (1 << MAX_SHIFT)) {
      throw new IllegalArgumentException("a column buffer of " + minLength + " bytes is more than a Parquet page can hold");
    }
    return Math.max(MIN_SHIFT, 32 - Integer.numberOfLeadingZeros(Math.max(1, minLength) - 1));
  }
}
