package io.meshlake.streams;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Forgets tombstones once they are older than the retention, so deleted entities do not hold state
 * forever. An expiry index (seen-at millis, big-endian, then the ARI) finds them with one range scan
 * instead of a scan of every entity's state.
 *
 * <p>After a tombstone is forgotten, the entity has no state: an older event that arrives later is
 * forwarded again and resurrects the entity in the refined tables. The retention must therefore
 * exceed the longest delay with which the bus can still deliver an older event of the entity.
 */
final class TombstoneReaper implements Punctuator {

  /** Bounds one punctuation, so a backlog of expired tombstones cannot stall processing; the rest waits for the next. */
  static final int MAX_PURGES_PER_RUN = 10_000;
  private static final byte[] NO_VALUE = new byte[0];

  private final KeyValueStore<String, LwwState> states;
  private final KeyValueStore<Bytes, byte[]> expiryIndex;
  private final Duration retention;
  private final TopologyMetrics metrics;

  TombstoneReaper(KeyValueStore<String, LwwState> states, KeyValueStore<Bytes, byte[]> expiryIndex, Duration retention,
      TopologyMetrics metrics) {
    this.states = states;
    this.expiryIndex = expiryIndex;
    this.retention = retention;
    this.metrics = metrics;
  }

  /** Keeps the index in step with an entity's state change. */
  void track(String resourceAri, LwwState previous, LwwState next) {
    if (previous != null && previous.tombstone()) {
      expiryIndex.delete(indexKey(previous.seenAtMs(), resourceAri));
    }
    if (next.tombstone()) {
      expiryIndex.put(indexKey(next.seenAtMs(), resourceAri), NO_VALUE);
    }
  }

  @Override
  public void punctuate(long nowMs) {
    long expiredUpTo = nowMs - retention.toMillis();
    if (expiredUpTo < 0) {
      return;
    }
    List<Bytes> expired = new ArrayList<>();
    // Both range ends are inclusive; the end key (expiredUpTo + 1, no ARI) is never stored, so the range
    // holds exactly the tombstones seen at or before expiredUpTo.
    try (KeyValueIterator<Bytes, byte[]> it = expiryIndex.range(indexKey(0, ""), indexKey(expiredUpTo + 1, ""))) {
      while (it.hasNext() && expired.size() < MAX_PURGES_PER_RUN) {
        KeyValue<Bytes, byte[]> entry = it.next();
        expired.add(entry.key);
      }
    }
    int purged = 0;
    for (Bytes key : expired) {
      ByteBuffer buffer = ByteBuffer.wrap(key.get());
      long seenAtMs = buffer.getLong();
      String resourceAri = StandardCharsets.UTF_8.decode(buffer).toString();
      LwwState state = states.get(resourceAri);
      // A newer event may have replaced the tombstone since: then only the stale index entry goes.
      if (state != null && state.tombstone() && state.seenAtMs() == seenAtMs) {
        states.delete(resourceAri);
        purged++;
      }
      expiryIndex.delete(key);
    }
    metrics.tombstonesPurged(purged);
  }

  static Bytes indexKey(long seenAtMs, String resourceAri) {
    byte[] ari = resourceAri.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(8 + ari.length).putLong(seenAtMs).put(ari).array());
  }
}
