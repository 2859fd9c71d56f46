package io.meshlake.table.parquet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A growable byte array written little-endian, as Parquet's PLAIN encoding and level runs lay values out. */
final class ByteSink {

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] bytes;
  private int size;

  ByteSink(int initialCapacity) {
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  int size() {
    return size;
  }

  byte[] array() {
    return bytes;
  }

  void reset() {
    size = 0;
  }

  private void ensure(int more) {
    if (size + more > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(size + more, bytes.length * 2));
    }
  }

  void writeByte(int b) {
    ensure(1);
    bytes[size++] = (byte) b;
  }

  void writeInt(int v) {
    ensure(4);
    INT.set(bytes, size, v);
    size += 4;
  }

  void writeLong(long v) {
    ensure(8);
    LONG.set(bytes, size, v);
    size += 8;
  }

  void write(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, bytes, size, len);
    size += len;
  }

  /** Unsigned LEB128, as the hybrid encoding's run headers are written. */
  void writeUnsignedVarInt(int v) {
    while ((v & ~0x7F) != 0) {
      writeByte((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    writeByte(v);
  }

  /** Overwrites four bytes at {@code position} (a length prefix written before its content was known). */
  void setInt(int position, int v) {
    INT.set(bytes, position, v);
  }
}
