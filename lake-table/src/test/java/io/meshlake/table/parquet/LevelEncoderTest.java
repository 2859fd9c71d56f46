package io.meshlake.table.parquet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.util.Random;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.junit.jupiter.api.Test;

class LevelEncoderTest {

  @Test
  void parquetsOwnDecoderReadsBackEveryPatternOfLevels() throws Exception {
    Random random = new Random(42);
    for (int trial = 0; trial < 2_000; trial++) {
      int maxLevel = 1 + random.nextInt(6);
      int count = 1 + random.nextInt(trial % 10 == 0 ? 5_000 : 300);
      byte[] levels = new byte[count];
      int i = 0;
      while (i < count) {
        // Mix long runs (RLE), short runs and noise (bit-packed), at every alignment.
        int run = random.nextInt(4) == 0 ? 8 + random.nextInt(100) : 1 + random.nextInt(9);
        int value = random.nextInt(maxLevel + 1);
        for (int k = 0; k < run && i < count; k++) {
          levels[i++] = (byte) (random.nextInt(5) == 0 ? random.nextInt(maxLevel + 1) : value);
        }
      }
      int width = LevelEncoder.bitWidth(maxLevel);
      ByteSink out = new ByteSink(16);
      LevelEncoder.encode(levels, count, width, out);
      RunLengthBitPackingHybridDecoder decoder =
          new RunLengthBitPackingHybridDecoder(width, new ByteArrayInputStream(out.array(), 0, out.size()));
      for (int k = 0; k < count; k++) {
        assertThat(decoder.readInt()).as("trial %d, level %d of %d", trial, k, count).isEqualTo(levels[k]);
      }
    }
  }

  @Test
  void aColumnThatIsNeverNullIsOneRunPerPage() {
    byte[] levels = new byte[20_000];
    java.util.Arrays.fill(levels, (byte) 1);
    ByteSink out = new ByteSink(16);
    LevelEncoder.encode(levels, levels.length, 1, out);
    assertThat(out.size()).isEqualTo(4); // a three-byte varint header (40,000) and the value
  }

  @Test
  void bitWidthCoversTheMaximumLevel() {
    assertThat(LevelEncoder.bitWidth(1)).isEqualTo(1);
    assertThat(LevelEncoder.bitWidth(2)).isEqualTo(2);
    assertThat(LevelEncoder.bitWidth(3)).isEqualTo(2);
    assertThat(LevelEncoder.bitWidth(4)).isEqualTo(3);
  }
}
