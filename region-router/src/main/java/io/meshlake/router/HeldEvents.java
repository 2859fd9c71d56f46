package io.meshlake.router;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * One routing task's held events: those of workspaces without a residency, kept in a persistent,
 * changelogged store so that a crash or a task move loses none, and released per workspace in
 * arrival order.
 *
 * <p>Store key: the workspace id, a 0 byte, then an 8-byte big-endian arrival sequence. Keys sort by
 * workspace, then by arrival, so one workspace's events are a contiguous range read in order.
 */
final class HeldEvents {

  static final String STORE = "held-events";

  private static final byte SEPARATOR = 0; // never part of a workspace id

  private final KeyValueStore<Bytes, byte[]> store;
  private final ConcurrentMap<String, HeldWorkspaces.Hold> holds;
  private long nextSequence;

  private HeldEvents(KeyValueStore<Bytes, byte[]> store, ConcurrentMap<String, HeldWorkspaces.Hold> holds) {
    this.store = store;
    this.holds = holds;
  }

  static StoreBuilder<KeyValueStore<Bytes, byte[]>> storeBuilder() {
    return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray())
        .withCachingDisabled();
  }

  /** Opens the task's held events, counting what the store already holds (after a restart or a move). */
  static HeldEvents open(KeyValueStore<Bytes, byte[]> store, ConcurrentMap<String, HeldWorkspaces.Hold> holds) {
    HeldEvents held = new HeldEvents(store, holds);
    holds.clear();
    long maxSequence = -1;
    try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
      while (all.hasNext()) {
        var entry = all.next();
        byte[] key = entry.key.get();
        String workspace = workspaceOf(key);
        long size = HeldEvent.decode(entry.value).size();
        holds.merge(workspace, new HeldWorkspaces.Hold(1, size), HeldWorkspaces.Hold::plus);
        maxSequence = Math.max(maxSequence, ByteBuffer.wrap(key, key.length - Long.BYTES, Long.BYTES).getLong());
      }
    }
    held.nextSequence = maxSequence + 1;
    return held;
  }

  boolean isHolding(String workspace) {
    return holds.containsKey(workspace);
  }

  /** Holds the event behind any already held for its workspace; true when it is the workspace's first. */
  boolean hold(String workspace, HeldEvent event) {
    store.put(key(workspace, nextSequence++), event.encode());
    HeldWorkspaces.Hold before = holds.get(workspace);
    holds.merge(workspace, new HeldWorkspaces.Hold(1, event.size()), HeldWorkspaces.Hold::plus);
    return before == null;
  }

  /** Hands the workspace's held events, oldest first, to {@code release}, then forgets them; returns how many. */
  int release(String workspace, Consumer<HeldEvent> release) {
    List<Bytes> released = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> range = store.range(key(workspace, 0), key(workspace, Long.MAX_VALUE))) {
      while (range.hasNext()) {
        var entry = range.next();
        release.accept(HeldEvent.decode(entry.value));
        released.add(entry.key);
      }
    }
    released.forEach(store::delete);
    holds.remove(workspace);
    return released.size();
  }

  /** The workspaces this task holds events of, sorted. */
  Set<String> workspaces() {
    return new TreeSet<>(holds.keySet());
  }

  private static Bytes key(String workspace, long sequence) {
    byte[] id = workspace.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(ByteBuffer.allocate(id.length + 1 + Long.BYTES).put(id).put(SEPARATOR).putLong(sequence).array());
  }

  private static String workspaceOf(byte[] key) {
    return new String(Arrays.copyOf(key, key.length - 1 - Long.BYTES), StandardCharsets.UTF_8);
  }
}
