package io.meshlake.streams;

/**
 * What the topology remembers of one resource ARI: the order of the newest event it forwarded, whether
 * that event was a tombstone, and when (wall-clock) it was seen, which ages tombstones out.
 */
public record LwwState(EventOrder order, boolean tombstone, long seenAtMs) {

  /** Whether an event of this order would be applied on top of this state. */
  public boolean isSupersededBy(EventOrder incoming) {
    return incoming.compareTo(order) > 0;
  }
}
