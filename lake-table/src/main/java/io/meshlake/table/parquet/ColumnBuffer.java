package io.meshlake.table.parquet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType;

/**
 * One leaf column of a data file being written: its levels and PLAIN-encoded values as they arrive,
 * cut into compressed pages, held until the row group is written. Values are encoded once, in bulk
 * per page, instead of through a per-value record path; min/max are kept for the columns whose
 * statistics readers prune on.
 */
final class ColumnBuffer {

  enum Kind { INT64, INT32, DOUBLE, FLOAT, BOOLEAN, BYTES }

  /** A page, compressed into the chunk buffer at {@code offset}, waiting for its row group. */
  private record Page(int offset, int length, int uncompressedSize, int valueCount, int rowCount, Statistics<?> stats) {}

  private final ColumnDescriptor descriptor;
  private final PrimitiveType type;
  private final Kind kind;
  private final boolean tracked;
  private final int maxRl;
  private final int maxDl;
  private final PageCompressor compressor;

  private byte[] rl;
  private byte[] dl;
  private int levels;
  private int rows;
  private int nulls;
  private final ByteSink values = new ByteSink(BufferPool.SHARED);
  private byte[] booleans;
  private int booleanCount;

  private long minLong;
  private long maxLong;
  private double minDouble;
  private double maxDouble;
  private boolean sawNaN;
  private byte[] minBytes;
  private byte[] maxBytes;
  private boolean sawFalse;
  private boolean sawTrue;

  private final List<Page> pages = new ArrayList<>();
  /** The row group's compressed pages, back to back. */
  private final ByteSink chunk = new ByteSink(BufferPool.SHARED);
  private long chunkValues;

  ColumnBuffer(ColumnDescriptor descriptor, Kind kind, boolean tracked, PageCompressor compressor) {
    this.descriptor = descriptor;
    this.type = descriptor.getPrimitiveType();
    this.kind = kind;
    this.tracked = tracked;
    this.maxRl = descriptor.getMaxRepetitionLevel();
    this.maxDl = descriptor.getMaxDefinitionLevel();
    this.compressor = compressor;
    rl = maxRl > 0 ? BufferPool.SHARED.take(64) : null;
    dl = maxDl > 0 ? BufferPool.SHARED.take(64) : null;
    booleans = kind == Kind.BOOLEAN ? BufferPool.SHARED.take(64) : null;
    resetStats();
  }

  private void level(int r, int d) {
    if (levels == (dl != null ? dl.length : rl != null ? rl.length : Integer.MAX_VALUE)) {
      int n = levels * 2;
      if (dl != null) {
        dl = grow(dl, n);
      }
      if (rl != null) {
        rl = grow(rl, n);
      }
    }
    if (rl != null) {
      rl[levels] = (byte) r;
    }
    if (dl != null) {
      dl[levels] = (byte) d;
    }
    levels++;
    if (r == 0) {
      rows++;
    }
  }

  private static byte[] grow(byte[] array, int length) {
    byte[] grown = BufferPool.SHARED.take(length);
    System.arraycopy(array, 0, grown, 0, array.length);
    BufferPool.SHARED.give(array);
    return grown;
  }

  /** Hands this column's buffers back to the pool once its file is written; the column is unusable afterwards. */
  void release() {
    values.release();
    chunk.release();
    BufferPool.SHARED.give(rl);
    BufferPool.SHARED.give(dl);
    BufferPool.SHARED.give(booleans);
    rl = null;
    dl = null;
    booleans = null;
  }

  void addNull(int r, int d) {
    level(r, d);
    nulls++;
  }

  /** A defined value (its definition level is the column's maximum). */
  void add(Object value, int r) {
    level(r, maxDl);
    switch (kind) {
      case INT64 -> {
        long v = ((Number) value).longValue();
        values.writeLong(v);
        trackLong(v);
      }
      case INT32 -> {
        int v = ((Number) value).intValue();
        values.writeInt(v);
        trackLong(v);
      }
      case DOUBLE -> {
        double v = ((Number) value).doubleValue();
        values.writeLong(Double.doubleToRawLongBits(v));
        trackDouble(v);
      }
      case FLOAT -> {
        float v = ((Number) value).floatValue();
        values.writeInt(Float.floatToRawIntBits(v));
        trackDouble(v);
      }
      case BOOLEAN -> {
        boolean v = (Boolean) value;
        if (booleanCount == booleans.length) {
          booleans = grow(booleans, booleanCount * 2);
        }
        booleans[booleanCount++] = (byte) (v ? 1 : 0);
        sawTrue |= v;
        sawFalse |= !v;
      }
      case BYTES -> {
        if (value instanceof ByteSlice slice) {
          // A raw table's entity strings: written straight from the record's bytes.
          values.writeInt(slice.length());
          values.write(slice.array(), slice.offset(), slice.length());
          if (tracked) {
            if (minBytes == null || slice.compareTo(minBytes) < 0) {
              minBytes = slice.toByteArray();
            }
            if (maxBytes == null || slice.compareTo(maxBytes) > 0) {
              maxBytes = slice.toByteArray();
            }
          }
          return;
        }
        // A string may come as its UTF-8 bytes already.
        byte[] v = value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) value;
        values.writeInt(v.length);
        values.write(v, 0, v.length);
        if (tracked) {
          if (minBytes == null || Arrays.compareUnsigned(v, minBytes) < 0) {
            minBytes = v;
          }
          if (maxBytes == null || Arrays.compareUnsigned(v, maxBytes) > 0) {
            maxBytes = v;
          }
        }
      }
    }
  }

  private void trackLong(long v) {
    if (tracked) {
      minLong = Math.min(minLong, v);
      maxLong = Math.max(maxLong, v);
    }
  }

  private void trackDouble(double v) {
    if (!tracked) {
      return;
    }
    if (Double.isNaN(v)) {
      sawNaN = true;
      return;
    }
    minDouble = Math.min(minDouble, v);
    maxDouble = Math.max(maxDouble, v);
  }

  /** Bytes the open page holds, for deciding when to cut it. */
  int openPageBytes() {
    return values.size() + booleanCount / 8 + levels / 4;
  }

  /** Bytes this column holds: compressed pages plus the open page. */
  long bufferedBytes() {
    return chunk.size() + openPageBytes();
  }

  /** Encodes and compresses the open page (if it holds anything). */
  void cutPage(ByteSink scratch) throws IOException {
    if (levels == 0) {
      return;
    }
    scratch.reset();
    if (maxRl > 0) {
      writeLevels(rl, LevelEncoder.bitWidth(maxRl), scratch);
    }
    if (maxDl > 0) {
      writeLevels(dl, LevelEncoder.bitWidth(maxDl), scratch);
    }
    if (kind == Kind.BOOLEAN) {
      LevelEncoder.bitPack(booleans, 0, booleanCount, booleanCount, 1, scratch);
    } else {
      scratch.write(values.array(), 0, values.size());
    }
    int offset = chunk.size();
    compressor.compress(scratch.array(), scratch.size(), chunk);
    pages.add(new Page(offset, chunk.size() - offset, scratch.size(), levels, rows, pageStatistics()));
    chunkValues += levels;
    levels = 0;
    rows = 0;
    nulls = 0;
    booleanCount = 0;
    values.reset();
    resetStats();
  }

  private void writeLevels(byte[] levelBytes, int bitWidth, ByteSink out) {
    int lengthAt = out.size();
    out.writeInt(0);
    LevelEncoder.encode(levelBytes, levels, bitWidth, out);
    out.setInt(lengthAt, out.size() - lengthAt - 4);
  }

  /**
   * The page's statistics. An untracked column (or a page with NaN) gets empty statistics, which
   * makes the writer leave the column chunk without min/max and without a column index: readers
   * then never skip it, rather than skip it wrongly.
   */
  private Statistics<?> pageStatistics() {
    boolean defined = levels > nulls;
    if (!tracked || (sawNaN && defined)) {
      return Statistics.getBuilderForReading(type).build();
    }
    Statistics<?> s = Statistics.createStats(type);
    s.setNumNulls(nulls);
    if (defined) {
      switch (kind) {
        case INT64 -> {
          s.updateStats(minLong);
          s.updateStats(maxLong);
        }
        case INT32 -> {
          s.updateStats((int) minLong);
          s.updateStats((int) maxLong);
        }
        // Zeros are written as -0.0 (min) and +0.0 (max), as the format asks, so either sign matches.
        case DOUBLE -> {
          s.updateStats(minDouble == 0.0 ? -0.0 : minDouble);
          s.updateStats(maxDouble == 0.0 ? 0.0 : maxDouble);
        }
        case FLOAT -> {
          s.updateStats(minDouble == 0.0 ? -0.0f : (float) minDouble);
          s.updateStats(maxDouble == 0.0 ? 0.0f : (float) maxDouble);
        }
        case BOOLEAN -> {
          s.updateStats(!sawFalse);
          s.updateStats(sawTrue);
        }
        case BYTES -> {
          s.updateStats(Binary.fromConstantByteArray(minBytes));
          s.updateStats(Binary.fromConstantByteArray(maxBytes));
        }
      }
    }
    return s;
  }

  private void resetStats() {
    minLong = Long.MAX_VALUE;
    maxLong = Long.MIN_VALUE;
    minDouble = Double.POSITIVE_INFINITY;
    maxDouble = Double.NEGATIVE_INFINITY;
    sawNaN = false;
    minBytes = null;
    maxBytes = null;
    sawFalse = false;
    sawTrue = false;
  }

  /** Writes this column's chunk of the row group (the open page included) and empties the buffer. */
  void writeChunk(ParquetFileWriter writer, CompressionCodecName codec, ByteSink scratch) throws IOException {
    cutPage(scratch);
    writer.startColumn(descriptor, chunkValues, codec);
    Encoding rlEncoding = maxRl > 0 ? Encoding.RLE : Encoding.BIT_PACKED;
    Encoding dlEncoding = maxDl > 0 ? Encoding.RLE : Encoding.BIT_PACKED;
    for (Page page : pages) {
      // Written out before this returns: the chunk buffer may be reused afterwards.
      writer.writeDataPage(page.valueCount(), page.uncompressedSize(),
          BytesInput.from(chunk.array(), page.offset(), page.length()), page.stats(), page.rowCount(), rlEncoding,
          dlEncoding, Encoding.PLAIN);
    }
    writer.endColumn();
    pages.clear();
    chunk.reset();
    chunkValues = 0;
  }
}
