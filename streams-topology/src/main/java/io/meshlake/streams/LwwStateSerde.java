package io.meshlake.streams;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Fixed-size binary form of {@link LwwState} for the RocksDB store and its changelog:
 * format byte {@code 1}, generation watermark, version, tombstone flag, seen-at millis.
 * The leading format byte lets a later layout be read next to this one after an upgrade.
 */
public final class LwwStateSerde implements Serde<LwwState> {

  private static final byte FORMAT_V1 = 1;
  private static final int SIZE_V1 = 1 + 8 + 8 + 1 + 8;

  @Override
  public Serializer<LwwState> serializer() {
    return (topic, state) -> state == null ? null : ByteBuffer.allocate(SIZE_V1)
        .put(FORMAT_V1)
        .putLong(state.order().generationWatermark())
        .putLong(state.order().version())
        .put((byte) (state.tombstone() ? 1 : 0))
        .putLong(state.seenAtMs())
        .array();
  }

  @Override
  public Deserializer<LwwState> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length != SIZE_V1 || bytes[0] != FORMAT_V1) {
        throw new SerializationException("LWW state of " + bytes.length + " bytes with format " + (bytes.length == 0 ? "none" : bytes[0])
            + " is not format " + FORMAT_V1 + " (" + SIZE_V1 + " bytes); was the store written by a newer version?");
      }
      ByteBuffer in = ByteBuffer.wrap(bytes, 1, SIZE_V1 - 1);
      EventOrder order = new EventOrder(in.getLong(), in.getLong());
      boolean tombstone = in.get() != 0;
      return new LwwState(order, tombstone, in.getLong());
    };
  }
}
