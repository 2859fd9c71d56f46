package io.meshlake.sink.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlake.sink.writer.BatchWriter;
import io.meshlake.sink.writer.SinkEvent;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The worker-wide account of buffered events: reserved on add, released on commit and on revoke. */
class BufferMemoryTest {

  static final BatchWriter NOOP = new BatchWriter() {
    @Override
    public long resumeOffset() {
      return 0;
    }

    @Override
    public void write(List<SinkEvent> events, long lastOffset) {}
  };

  static SinkEvent event(long offset) {
    return new SinkEvent(null, null, "ws", null, "t", 0, offset, 0L);
  }

  @Test
  void bufferedEventsAreAccountedUntilCommittedOrDiscarded() {
    BufferMemory memory = new BufferMemory();
    PartitionBuffer a = new PartitionBuffer(new TopicPartition("t", 0), NOOP, memory);
    PartitionBuffer b = new PartitionBuffer(new TopicPartition("t", 1), NOOP, memory);
    for (int i = 0; i < 10; i++) {
      a.add(event(i), 1_000, 0);
    }
    b.add(event(0), 1_000, 0);
    long perEvent = BufferMemory.estimate(1_000);
    assertThat(a.heapBytes()).isEqualTo(10 * perEvent);
    assertThat(memory.used()).isEqualTo(11 * perEvent);
    assertThat(memory.partitions()).isEqualTo(2);

    a.committed();
    assertThat(a.heapBytes()).isZero();
    assertThat(memory.used()).isEqualTo(perEvent);
    b.discard();
    assertThat(memory.used()).isZero();
    assertThat(memory.partitions()).isEqualTo(1);
  }

  @Test
  void onlyAPartitionHoldingItsShareOfAnExhaustedBudgetMustCommit() {
    BufferMemory memory = new BufferMemory();
    PartitionBuffer big = new PartitionBuffer(new TopicPartition("t", 0), NOOP, memory);
    PartitionBuffer small = new PartitionBuffer(new TopicPartition("t", 1), NOOP, memory);
    for (int i = 0; i < 90; i++) {
      big.add(event(i), 1_000, 0);
    }
    small.add(event(0), 1_000, 0);
    long budget = 100 * BufferMemory.estimate(1_000);
    assertThat(memory.mustRelease(big.heapBytes(), budget)).as("under budget").isFalse();
    for (int i = 1; i < 20; i++) {
      small.add(event(i), 1_000, 0);
    }
    assertThat(memory.used()).isGreaterThan(budget);
    assertThat(memory.mustRelease(big.heapBytes(), budget)).isTrue();
    assertThat(memory.mustRelease(small.heapBytes(), budget)).as("20 events < half the budget").isFalse();
    big.committed();
    assertThat(memory.mustRelease(small.heapBytes(), budget)).isFalse();
    assertThat(big.due(0, 50_000, Long.MAX_VALUE, Duration.ofHours(1))).isFalse();
  }
}
