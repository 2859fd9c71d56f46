package io.meshlake.sink.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When a partition's batch falls due: by count, by age of its first record, or once it idles. */
class PartitionBufferTest {

  static final Duration INTERVAL = Duration.ofSeconds(1);
  static final Duration IDLE = Duration.ofSeconds(2);

  private final PartitionBuffer buffer =
      new PartitionBuffer(new TopicPartition("t", 0), new BufferMemoryTest.CountingWriter(false), new BufferMemory());

  @Test
  void aBatchIsDueByCountOrByTheAgeOfItsFirstRecordOrOnceItIdles() {
    assertThat(buffer.dueAtMillis(INTERVAL, IDLE)).isEqualTo(Long.MAX_VALUE);
    buffer.add(BufferMemoryTest.event(0), 100, 10_000);
    buffer.add(BufferMemoryTest.event(1), 100, 10_400);
    assertThat(buffer.dueAtMillis(INTERVAL, IDLE)).isEqualTo(11_000);
    assertThat(buffer.due(10_999, 1_000, Long.MAX_VALUE, INTERVAL, IDLE)).isFalse();
    assertThat(buffer.due(11_000, 1_000, Long.MAX_VALUE, INTERVAL, IDLE)).isTrue();
    assertThat(buffer.due(10_400, 2, Long.MAX_VALUE, INTERVAL, IDLE)).isTrue();
    // With a long interval the idle rule decides: two seconds after the last record.
    assertThat(buffer.dueAtMillis(Duration.ofMinutes(1), IDLE)).isEqualTo(12_400);
    assertThat(buffer.dueAtMillis(Duration.ofMinutes(1), Duration.ZERO)).isEqualTo(70_000);
  }

  @Test
  void aDeliveryThatTookLongerThanTheIdleTimeIsNotIdleness() {
    Duration idle = Duration.ofMillis(100);
    Duration interval = Duration.ofMinutes(1);
    // A delivery handed over at 10,000 whose handling took 250 ms (a loaded machine, a collection).
    buffer.add(BufferMemoryTest.event(0), 100, 10_000);
    buffer.add(BufferMemoryTest.event(1), 100, 10_000);
    buffer.deliveryEnded(10_250);
    assertThat(buffer.due(10_300, 1_000, Long.MAX_VALUE, interval, idle)).as("50 ms after the task was ready for more").isFalse();
    assertThat(buffer.dueAtMillis(interval, idle)).isEqualTo(10_350);
    assertThat(buffer.due(10_350, 1_000, Long.MAX_VALUE, interval, idle)).isTrue();
    // A delivery without records of this partition leaves its idle time where it was.
    buffer.deliveryEnded(10_400);
    assertThat(buffer.dueAtMillis(interval, idle)).isEqualTo(10_350);
    // After a commit nothing is open, and the end of an empty delivery opens nothing.
    buffer.committed();
    buffer.deliveryEnded(10_500);
    assertThat(buffer.dueAtMillis(interval, idle)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void skippedRecordsAreCommittedPastOnce() {
    buffer.skip(5, 10_000);
    assertThat(buffer.due(20_000, 1, 1, INTERVAL, IDLE)).isTrue();
    buffer.committed();
    assertThat(buffer.durableOffset()).isEqualTo(5);
    buffer.skip(5, 21_000);
    assertThat(buffer.due(40_000, 1, 1, INTERVAL, IDLE)).isFalse();
  }
}
