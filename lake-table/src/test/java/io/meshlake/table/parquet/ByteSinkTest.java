package io.meshlake.table.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ByteSinkTest {

  @Test
  void keepsItsBytesAcrossGrowthFromThePoolAndBoundsReservedWrites() {
    BufferPool pool = new BufferPool(1 << 20);
    ByteSink sink = new ByteSink(pool);
    byte[] expected = new byte[10_000];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) (i * 31);
      sink.writeByte(expected[i]);
    }
    assertThat(Arrays.copyOf(sink.array(), sink.size())).isEqualTo(expected);
    assertThat(pool.pooledBytes()).as("outgrown arrays went back to the pool").isPositive();

    byte[] room = sink.reserve(100);
    room[sink.size()] = 42;
    sink.advance(1);
    assertThat(sink.array()[sink.size() - 1]).isEqualTo((byte) 42);
    assertThatThrownBy(() -> sink.advance(sink.array().length)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sink.advance(-1)).isInstanceOf(IllegalArgumentException.class);

    long before = pool.pooledBytes();
    sink.release();
    assertThat(pool.pooledBytes()).isGreaterThan(before);
  }
}
