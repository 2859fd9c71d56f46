package io.meshlake.bench;

import java.util.BitSet;

/**
 * Every record the benchmark produced, by Kafka coordinates: per partition the offsets (a bit each) and
 * an order-independent digest of (partition, offset, resource ARI, version), so the raw table can be
 * checked to hold each produced record exactly once, with the right event at each coordinate.
 */
final class ProducedLog {

  private final BitSet[] offsets;
  private final long[] counts;
  private final long[] next;
  private long digest;
  private long bytes;

  ProducedLog(int partitions) {
    offsets = new BitSet[partitions];
    counts = new long[partitions];
    next = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      offsets[p] = new BitSet();
    }
  }

  synchronized void record(int partition, long offset, String resourceAri, long version, int valueBytes) {
    BitSet set = offsets[partition];
    int index = Math.toIntExact(offset);
    if (set.get(index)) {
      throw new IllegalStateException("offset " + offset + " of partition " + partition + " acknowledged twice");
    }
    set.set(index);
    counts[partition]++;
    next[partition] = Math.max(next[partition], offset + 1);
    digest += entryDigest(partition, offset, resourceAri, version);
    bytes += valueBytes;
  }

  /** The digest of one record; summed (mod 2^64) over a set of records, so order does not matter. */
  static long entryDigest(int partition, long offset, String resourceAri, long version) {
    long h = SplitMix64.mix(partition * 0x9E3779B97F4A7C15L + offset);
    h = SplitMix64.mix(h ^ resourceAri.hashCode());
    return SplitMix64.mix(h + version);
  }

  synchronized long count() {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return total;
  }

  synchronized long digest() {
    return digest;
  }

  synchronized long valueBytes() {
    return bytes;
  }

  int partitions() {
    return offsets.length;
  }

  /** Per partition, one past the highest offset produced so far (0 when none). */
  synchronized long[] nextOffsets() {
    return next.clone();
  }

  synchronized BitSet offsets(int partition) {
    return (BitSet) offsets[partition].clone();
  }
}
