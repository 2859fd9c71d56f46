package io.meshlake.table.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

  @Test
  void givesBackPowersOfTwoAndKeepsNoMoreThanItsLimit() {
    BufferPool pool = new BufferPool(4096);
    assertThat(pool.take(1)).hasSize(64);
    assertThat(pool.take(65)).hasSize(128);
    assertThat(pool.take(1000)).hasSize(1024);
    byte[] a = pool.take(2048);
    byte[] b = pool.take(2048);
    byte[] c = pool.take(2048);
    pool.give(a);
    pool.give(b);
    pool.give(c); // over the limit: left to the collector
    pool.give(new byte[100]); // not one of the pool's arrays
    assertThat(pool.pooledBytes()).isEqualTo(4096);
    byte[] first = pool.take(1500);
    byte[] second = pool.take(2048);
    byte[] third = pool.take(2048);
    // Identity, not content: the pooled arrays are the ones given back, the third a new one.
    assertThat(first == a || first == b).isTrue();
    assertThat(second == a || second == b).isTrue();
    assertThat(second).isNotSameAs(first);
    assertThat(third).isNotSameAs(a).isNotSameAs(b).isNotSameAs(c).hasSize(2048);
    assertThat(pool.pooledBytes()).isZero();
    assertThatThrownBy(() -> pool.take(Integer.MAX_VALUE)).hasMessageContaining("Parquet page");
  }
}
