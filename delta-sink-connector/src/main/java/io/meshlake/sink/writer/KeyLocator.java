package io.meshlake.sink.writer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where each entity a task owns lives in its table: for a resource ARI, the file (an id the caller
 * assigns), the position of its first row, how many rows it has (exploded models: one per child),
 * and its version. An open-addressing hash table (linear probing, backward-shift deletion) keyed by
 * the ARI's 128-bit Murmur3 hash, in a memory-mapped file on local disk: the heap stays bounded
 * whatever the table's size, and the OS pages it. It is rebuilt from the table whenever a task starts
 * or gains a partition, and never trusted over the Delta log.
 */
public final class KeyLocator implements AutoCloseable {

  /** Where an entity's rows are. */
  public record Location(int fileId, int position, int count, long generation, long version) {}

  /** An entity's 128-bit key hash, computed once per change and reused for lookup and update. */
  public record Key(long h1, long h2) {}

  public static Key key(String resourceAri) {
    return Murmur3.hash128(resourceAri.getBytes(StandardCharsets.UTF_8));
  }
  private static final int SLOT = 40;
  private static final int SEGMENT_SLOTS = 1 << 24;
  private static final double MAX_LOAD = 0.7;

  private final Path file;
  private MappedByteBuffer[] segments;
  private long capacity;
  private long size;

  public KeyLocator(Path file, long expectedEntries) {
    this.file = file;
    long slots = Long.highestOneBit(Math.max(1024, (long) (expectedEntries / 0.5)) - 1) << 1;
    map(slots);
  }

  private void map(long slots) {
    segments = mapFile(file, slots);
    capacity = slots;
    size = 0;
  }

  private static MappedByteBuffer[] mapFile(Path path, long slots) {
    try {
      Files.createDirectories(path.getParent());
      Files.deleteIfExists(path);
      try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
          StandardOpenOption.WRITE, StandardOpenOption.SPARSE)) {
        int count = (int) ((slots + SEGMENT_SLOTS - 1) / SEGMENT_SLOTS);
        MappedByteBuffer[] mapped = new MappedByteBuffer[count];
        for (int i = 0; i < count; i++) {
          long slotsHere = Math.min(SEGMENT_SLOTS, slots - (long) i * SEGMENT_SLOTS);
          mapped[i] = channel.map(FileChannel.MapMode.READ_WRITE, (long) i * SEGMENT_SLOTS * SLOT, slotsHere * SLOT);
          mapped[i].order(ByteOrder.nativeOrder());
        }
        return mapped;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not map the key locator file " + path, e);
    }
  }

  public long size() {
    return size;
  }

  public Location get(String resourceAri) {
    return get(key(resourceAri));
  }

  public Location get(Key key) {
    long h1 = key.h1();
    long h2 = key.h2();
    for (long slot = index(h1); ; slot = next(slot)) {
      long k1 = getLong(slot, 0);
      long k2 = getLong(slot, 8);
      if (k1 == 0 && k2 == 0) {
        return null;
      }
      if (k1 == h1 && k2 == h2) {
        return new Location(getInt(slot, 28), getInt(slot, 32), getInt(slot, 36), getInt(slot, 24), getLong(slot, 16));
      }
    }
  }

  public void put(String resourceAri, Location location) {
    put(key(resourceAri), location);
  }

  public void put(Key key, Location location) {
    if (location.generation() > Integer.MAX_VALUE || location.generation() < 0) {
      throw new IllegalArgumentException("generation watermark " + location.generation() + " out of range");
    }
    if (size + 1 > capacity * MAX_LOAD) {
      grow();
    }
    put(key.h1(), key.h2(), location);
  }

  private void put(long h1, long h2, Location location) {
    for (long slot = index(h1); ; slot = next(slot)) {
      long k1 = getLong(slot, 0);
      long k2 = getLong(slot, 8);
      boolean empty = k1 == 0 && k2 == 0;
      if (empty || (k1 == h1 && k2 == h2)) {
        if (empty) {
          size++;
        }
        putLong(slot, 0, h1);
        putLong(slot, 8, h2);
        putLong(slot, 16, location.version());
        putInt(slot, 24, (int) location.generation());
        putInt(slot, 28, location.fileId());
        putInt(slot, 32, location.position());
        putInt(slot, 36, location.count());
        return;
      }
    }
  }

  public void remove(String resourceAri) {
    remove(key(resourceAri));
  }

  public void remove(Key key) {
    long h1 = key.h1();
    long h2 = key.h2();
    long slot = index(h1);
    while (true) {
      long k1 = getLong(slot, 0);
      long k2 = getLong(slot, 8);
      if (k1 == 0 && k2 == 0) {
        return;
      }
      if (k1 == h1 && k2 == h2) {
        break;
      }
      slot = next(slot);
    }
    // Backward-shift deletion: pull later entries of the probe run into the hole.
    long hole = slot;
    long probe = next(hole);
    while (true) {
      long k1 = getLong(probe, 0);
      long k2 = getLong(probe, 8);
      if (k1 == 0 && k2 == 0) {
        break;
      }
      long home = index(k1);
      boolean movable = hole <= probe ? (home <= hole || home > probe) : (home <= hole && home > probe);
      if (movable) {
        copySlot(probe, hole);
        hole = probe;
      }
      probe = next(probe);
    }
    clearSlot(hole);
    size--;
  }

  /** Doubles the table into a new file, re-inserting slot by slot (no heap copy of the entries). */
  private void grow() {
    MappedByteBuffer[] old = segments;
    long oldCapacity = capacity;
    Path grown = file.resolveSibling(file.getFileName() + ".grow");
    segments = mapFile(grown, oldCapacity * 2);
    capacity = oldCapacity * 2;
    size = 0;
    for (long slot = 0; slot < oldCapacity; slot++) {
      long k1 = getLong(old, slot, 0);
      long k2 = getLong(old, slot, 8);
      if (k1 != 0 || k2 != 0) {
        put(k1, k2, new Location(getInt(old, slot, 28), getInt(old, slot, 32), getInt(old, slot, 36),
            getInt(old, slot, 24), getLong(old, slot, 16)));
      }
    }
    try {
      Files.move(grown, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("could not replace the key locator file " + file, e);
    }
  }

  private long index(long h1) {
    return (h1 ^ (h1 >>> 29)) & (capacity - 1);
  }

  private long next(long slot) {
    return (slot + 1) & (capacity - 1);
  }

  private long getLong(long slot, int field) {
    return getLong(segments, slot, field);
  }

  private static long getLong(MappedByteBuffer[] segs, long slot, int field) {
    return segs[(int) (slot / SEGMENT_SLOTS)].getLong((int) (slot % SEGMENT_SLOTS) * SLOT + field);
  }

  private int getInt(long slot, int field) {
    return getInt(segments, slot, field);
  }

  private static int getInt(MappedByteBuffer[] segs, long slot, int field) {
    return segs[(int) (slot / SEGMENT_SLOTS)].getInt((int) (slot % SEGMENT_SLOTS) * SLOT + field);
  }

  private void putLong(long slot, int field, long value) {
    segments[(int) (slot / SEGMENT_SLOTS)].putLong((int) (slot % SEGMENT_SLOTS) * SLOT + field, value);
  }

  private void putInt(long slot, int field, int value) {
    segments[(int) (slot / SEGMENT_SLOTS)].putInt((int) (slot % SEGMENT_SLOTS) * SLOT + field, value);
  }

  private void copySlot(long from, long to) {
    for (int f = 0; f < SLOT; f += 8) {
      putLong(to, f, getLong(from, f));
    }
  }

  private void clearSlot(long slot) {
    for (int f = 0; f < SLOT; f += 8) {
      putLong(slot, f, 0);
    }
  }

  @Override
  public void close() {
    segments = new MappedByteBuffer[0];
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // a leftover file is rebuilt over at the next start
    }
  }
}
