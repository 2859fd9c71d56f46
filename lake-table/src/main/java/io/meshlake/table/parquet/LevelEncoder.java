package io.meshlake.table.parquet;

/**
 * Parquet's RLE / bit-packing hybrid encoding, as data pages v1 carry repetition and definition
 * levels (and as booleans are bit-packed). Runs of eight or more equal levels become one RLE run —
 * the common case, a column that is never null, is a single run per page — and everything else is
 * bit-packed in groups of eight.
 */
final class LevelEncoder {

  /** Bit-packed runs are kept to 63 groups so a header is one byte, as most writers do. */
  private static final int MAX_GROUPS = 63;

  private LevelEncoder() {}

  static int bitWidth(int maxLevel) {
    return 32 - Integer.numberOfLeadingZeros(maxLevel);
  }

  /** Appends the levels {@code levels[0..count)} encoded at {@code bitWidth} (1..8) to {@code out}. */
  static void encode(byte[] levels, int count, int bitWidth, ByteSink out) {
    int i = 0;
    while (i < count) {
      int run = runLength(levels, i, count);
      if (run >= 8) {
        out.writeUnsignedVarInt(run << 1);
        out.writeByte(levels[i]);
        i += run;
        continue;
      }
      int start = i;
      int groups = 0;
      do {
        i += 8;
        groups++;
      } while (i < count && groups < MAX_GROUPS && runLength(levels, i, count) < 8);
      out.writeUnsignedVarInt(groups << 1 | 1);
      // Past the end the last group is padded with zeros; readers stop at the page's value count.
      bitPack(levels, start, Math.min(i, count), groups * 8, bitWidth, out);
    }
  }

  /** Packs {@code values[from..to)}, padded with zeros to {@code packed} values, least significant bit first. */
  static void bitPack(byte[] values, int from, int to, int packed, int bitWidth, ByteSink out) {
    long acc = 0;
    int bits = 0;
    for (int k = 0; k < packed; k++) {
      int v = from + k < to ? values[from + k] & 0xFF : 0;
      acc |= (long) v << bits;
      bits += bitWidth;
      while (bits >= 8) {
        out.writeByte((int) acc);
        acc >>>= 8;
        bits -= 8;
      }
    }
    if (bits > 0) {
      out.writeByte((int) acc);
    }
  }

  private static int runLength(byte[] levels, int from, int count) {
    byte v = levels[from];
    int j = from + 1;
    while (j < count && levels[j] == v) {
      j++;
    }
    return j - from;
  }
}
