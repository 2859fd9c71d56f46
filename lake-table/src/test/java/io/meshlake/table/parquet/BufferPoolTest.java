package io.meshlake.table.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

  @Test
  void givesBackPowersOfTwoAndKeepsNoMoreThanItsLimit() {
    BufferPool pool = new BufferPool(16384);
    assertThat(pool.take(1)).hasSize(64);
    assertThat(pool.take(65)).hasSize(128);
    assertThat(pool.take(1000)).hasSize(1024);
    byte[] a = pool.take(8192);
    byte[] b = pool.take(8192);
    byte[] c = pool.take(8192);
    pool.give(a);
    pool.give(b);
    pool.give(c); // over the limit: left to the collector
    pool.give(new byte[100]); // not one of the pool's arrays
    pool.give(new byte[1024]); // small arrays are not pooled
    assertThat(pool.pooledBytes()).isEqualTo(16384);
    byte[] first = pool.take(5000);
    byte[] second = pool.take(8192);
    byte[] third = pool.take(8192);
    // Identity, not content: the pooled arrays are the ones given back, the third a new one.
    assertThat(first == a || first == b).isTrue();
    assertThat(second == a || second == b).isTrue();
    assertThat(second).isNotSameAs(first);
    assertThat(third).isNotSameAs(a).isNotSameAs(b).isNotSameAs(c).hasSize(8192);
    assertThat(pool.pooledBytes()).isZero();
    assertThatThrownBy(() -> pool.take(Integer.MAX_VALUE)).hasMessageContaining("Parquet page");
  }
}
