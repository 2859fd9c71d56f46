package io.meshlake.table.parquet;

import java.io.IOException;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/** Compresses a data page's bytes with the file's codec. */
interface PageCompressor {

  /** Appends the compressed form of {@code bytes[0, length)} to {@code out}. */
  void compress(byte[] bytes, int length, ByteSink out) throws IOException;

  static PageCompressor of(CompressionCodecName codec) {
    return switch (codec) {
      // Straight into the column's chunk buffer: a worst-case array per page, then a copy at its
      // real size, was the writer's largest allocation.
      case SNAPPY -> (bytes, length, out) -> {
        byte[] target = out.reserve(Snappy.maxCompressedLength(length));
        out.advance(Snappy.compress(bytes, 0, length, target, out.size()));
      };
      case UNCOMPRESSED -> (bytes, length, out) -> out.write(bytes, 0, length);
      default -> throw new IllegalArgumentException("data files are written SNAPPY or UNCOMPRESSED, not " + codec);
    };
  }
}
