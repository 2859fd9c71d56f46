package io.meshlake.contracts.wire;

import java.nio.ByteBuffer;

/**
 * One Confluent-framed protobuf message: magic byte {@code 0}, the 4-byte big-endian schema id,
 * the message indexes, then the protobuf bytes.
 */
public record ConfluentFrame(int schemaId, MessageIndexes messageIndexes, ByteBuffer payload) {

  public static final byte MAGIC_BYTE = 0;

  public static byte[] encode(int schemaId, MessageIndexes indexes, byte[] payload) {
    byte[] encodedIndexes = indexes.encode();
    ByteBuffer out = ByteBuffer.allocate(5 + encodedIndexes.length + payload.length);
    out.put(MAGIC_BYTE).putInt(schemaId).put(encodedIndexes).put(payload);
    return out.array();
  }

  /** Parses the frame; the payload is a read-only view of the input, not a copy. */
  public static ConfluentFrame decode(byte[] bytes) {
    if (bytes == null) {
      throw new WireFormatException("no bytes (a null value is not a framed message)");
    }
    if (bytes.length < 6) {
      throw new WireFormatException("too short for a Confluent protobuf frame: " + bytes.length + " bytes");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte magic = in.get();
    if (magic != MAGIC_BYTE) {
      throw new WireFormatException(String.format("unknown magic byte 0x%02x (expected 0x00)", magic));
    }
    int schemaId = in.getInt();
    MessageIndexes indexes = MessageIndexes.decode(in);
    return new ConfluentFrame(schemaId, indexes, in.slice().asReadOnlyBuffer());
  }

  public byte[] payloadBytes() {
    byte[] copy = new byte[payload.remaining()];
    payload.duplicate().get(copy);
    return copy;
  }
}
