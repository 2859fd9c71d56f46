package io.meshlake.table.parquet;

import java.io.IOException;
import java.util.Arrays;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/** Compresses a data page's bytes with the file's codec. */
interface PageCompressor {

  byte[] compress(byte[] bytes, int length) throws IOException;

  static PageCompressor of(CompressionCodecName codec) {
    return switch (codec) {
      case SNAPPY -> (bytes, length) -> {
        byte[] out = new byte[Snappy.maxCompressedLength(length)];
        int n = Snappy.compress(bytes, 0, length, out, 0);
        return Arrays.copyOf(out, n);
      };
      case UNCOMPRESSED -> (bytes, length) -> Arrays.copyOf(bytes, length);
      default -> throw new IllegalArgumentException("data files are written SNAPPY or UNCOMPRESSED, not " + codec);
    };
  }
}
