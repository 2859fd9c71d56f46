package io.meshlake.table.parquet;

import java.util.Arrays;
import java.util.Objects;

/**
 * A string's UTF-8 bytes (or a binary value) as a range of a larger array, written without being
 * copied out first: a raw table's strings are slices of the Kafka record they arrived in. The array
 * must not change while a row holds the slice. Equal by content.
 */
public final class ByteSlice {

  private final byte[] array;
  private final int offset;
  private final int length;

  public ByteSlice(byte[] array, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, array.length);
    this.array = array;
    this.offset = offset;
    this.length = length;
  }

  public byte[] array() {
    return array;
  }

  public int offset() {
    return offset;
  }

  public int length() {
    return length;
  }

  /** The bytes as an array of their own. */
  public byte[] toByteArray() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  /** Unsigned byte order, as Parquet and Delta order strings' UTF-8 bytes. */
  int compareTo(byte[] other) {
    return Arrays.compareUnsigned(array, offset, offset + length, other, 0, other.length);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ByteSlice s
        && Arrays.equals(array, offset, offset + length, s.array, s.offset, s.offset + s.length);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + array[i];
    }
    return h;
  }

  @Override
  public String toString() {
    return "ByteSlice[" + length + " bytes]";
  }
}
