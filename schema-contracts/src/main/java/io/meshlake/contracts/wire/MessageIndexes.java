package io.meshlake.contracts.wire;

import com.google.protobuf.Descriptors.Descriptor;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The path from a .proto file's root to one message type, as the Confluent wire format carries it:
 * {@code [1, 0]} is the first nested message of the file's second top-level message.
 *
 * <p>Encoded as a zigzag-varint count followed by zigzag-varint indexes; the common path {@code [0]}
 * (the file's first message) is encoded as the single byte {@code 0x00}.
 */
public record MessageIndexes(List<Integer> path) {

  public static final MessageIndexes FIRST = new MessageIndexes(List.of(0));

  public MessageIndexes {
    if (path.isEmpty()) {
      throw new IllegalArgumentException("a message index path has at least one element");
    }
    for (int index : path) {
      if (index < 0) {
        throw new IllegalArgumentException("message indexes are never negative: " + path);
      }
    }
    path = List.copyOf(path);
  }

  public static MessageIndexes of(Integer... path) {
    return new MessageIndexes(List.of(path));
  }

  /** The path of a generated message type within its file. */
  public static MessageIndexes of(Descriptor descriptor) {
    List<Integer> path = new ArrayList<>();
    for (Descriptor d = descriptor; d != null; d = d.getContainingType()) {
      path.add(d.getIndex());
    }
    Collections.reverse(path);
    return new MessageIndexes(path);
  }

  /** Resolves this path to a message type of the given file. */
  public Descriptor resolve(com.google.protobuf.Descriptors.FileDescriptor file) {
    List<Descriptor> level = file.getMessageTypes();
    Descriptor found = null;
    for (int index : path) {
      if (index >= level.size()) {
        throw new WireFormatException("message index path " + path + " does not exist in " + file.getName());
      }
      found = level.get(index);
      level = found.getNestedTypes();
    }
    return found;
  }

  public byte[] encode() {
    if (path.size() == 1 && path.get(0) == 0) {
      return new byte[] {0};
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 + path.size());
    writeZigZagVarint(out, path.size());
    for (int index : path) {
      writeZigZagVarint(out, index);
    }
    return out.toByteArray();
  }

  /** Reads a path from the buffer's position, advancing it past the path. */
  public static MessageIndexes decode(ByteBuffer buffer) {
    int count = readZigZagVarint(buffer);
    if (count == 0) {
      return FIRST;
    }
    if (count < 0 || count > 64) {
      throw new WireFormatException("implausible message index count " + count);
    }
    List<Integer> path = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int index = readZigZagVarint(buffer);
      if (index < 0) {
        throw new WireFormatException("negative message index " + index);
      }
      path.add(index);
    }
    return new MessageIndexes(path);
  }

  static void writeZigZagVarint(ByteArrayOutputStream out, int value) {
    int v = (value << 1) ^ (value >> 31);
    while ((v & ~0x7F) != 0) {
      out.write((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    out.write(v);
  }

  static int readZigZagVarint(ByteBuffer buffer) {
    int raw = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      if (!buffer.hasRemaining()) {
        throw new WireFormatException("message indexes end in the middle of a varint");
      }
      byte b = buffer.get();
      raw |= (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new WireFormatException("varint longer than 5 bytes in message indexes");
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
