package io.meshlake.bench;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Turns one segment of logical events into the order they are delivered in: each position is, with
 * probability {@value #OUT_OF_ORDER_SHARE}, swapped with the position {@code d} later, d uniform in
 * [1, {@value #MAX_SWAP_DISTANCE}] (clamped to the segment's end); each event is, with probability
 * {@value #DUPLICATE_SHARE}, delivered a second time {@code d} positions after its first delivery (same
 * bounds). Nothing crosses the segment's end, so a segment is complete once its last event is produced.
 * Memory is the look-ahead window, never the segment.
 */
final class Delivery implements Iterator<WorkloadEvent> {

  static final double OUT_OF_ORDER_SHARE = 0.05;
  static final double DUPLICATE_SHARE = 0.01;
  static final int MAX_SWAP_DISTANCE = 1_000;

  private record Pending(long due, long sequence, WorkloadEvent event) {}

  private final Iterator<WorkloadEvent> logical;
  private final SplitMix64 rng;
  private final WorkloadEvent[] window = new WorkloadEvent[MAX_SWAP_DISTANCE + 1];
  private final PriorityQueue<Pending> duplicates = new PriorityQueue<>(
      (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.sequence, b.sequence));
  private final DeliveryStats stats;
  private int head;
  private int size;
  private long delivered;
  private long pendingSequence;

  Delivery(Iterator<WorkloadEvent> logical, SplitMix64 rng, DeliveryStats stats) {
    this.logical = logical;
    this.rng = rng;
    this.stats = stats;
  }

  @Override
  public boolean hasNext() {
    return size > 0 || logical.hasNext() || !duplicates.isEmpty();
  }

  @Override
  public WorkloadEvent next() {
    fill();
    if (!duplicates.isEmpty() && (duplicates.peek().due <= delivered || size == 0)) {
      delivered++;
      return duplicates.poll().event;
    }
    if (size == 0) {
      throw new NoSuchElementException();
    }
    if (rng.nextDouble() < OUT_OF_ORDER_SHARE && size > 1) {
      int d = 1 + rng.nextInt(Math.min(MAX_SWAP_DISTANCE, size - 1));
      int other = (head + d) % window.length;
      WorkloadEvent moved = window[head];
      window[head] = window[other];
      window[other] = moved;
      stats.swaps++;
    }
    WorkloadEvent event = window[head];
    window[head] = null;
    head = (head + 1) % window.length;
    size--;
    if (rng.nextDouble() < DUPLICATE_SHARE) {
      duplicates.add(new Pending(delivered + 1 + rng.nextInt(MAX_SWAP_DISTANCE), pendingSequence++, event.asDuplicate()));
      stats.duplicates++;
    }
    delivered++;
    return event;
  }

  private void fill() {
    while (size < window.length && logical.hasNext()) {
      window[(head + size) % window.length] = logical.next();
      size++;
    }
  }

  /** How much disorder was applied so far (all segments of a generator). */
  static final class DeliveryStats {
    long swaps;
    long duplicates;

    long swaps() {
      return swaps;
    }

    long duplicates() {
      return duplicates;
    }
  }
}
