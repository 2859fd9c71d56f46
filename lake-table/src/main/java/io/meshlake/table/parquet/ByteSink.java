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

  private final BufferPool pool;

  ByteSink(int initialCapacity) {
    this.pool = null;
    bytes = new byte[Math.max(16, initialCapacity)];
  }

  /** A sink whose arrays come from, and go back to, the pool ({@link #release()}). */
  ByteSink(BufferPool pool) {
    this.pool = pool;
    bytes = pool.take(64);
  }

  /** Hands the array back to the pool; the sink must not be used afterwards. */
  void release() {
    if (pool != null) {
      pool.give(bytes);
      bytes = null;
    }
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
      int length = Math.max(size + more, bytes.length * 2);
      if (pool == null) {
        bytes = Arrays.copyOf(bytes, length);
      } else {
        byte[] grown = pool.take(length);
        System.arraycopy(bytes, 0, grown, 0, size);
        pool.give(bytes);
        bytes = grown;
      }
    }
  }

  /** Makes room for {@code more} bytes after the current end and returns the array to write them into. */
  byte[] reserve(int more) {
    ensure(more);
    return bytes;
  }

  /** Counts {@code n} bytes written into {@link #reserve}'s array as part of the sink. */
  void advance(int n) {
    if (n < 0 || size + n > bytes.length) {
      throw new IllegalArgumentException("advance by " + n + " past the reserved room");
    }
    size += n;
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
