package io.meshlake.sink.connect;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.sink.writer.BatchWriter;
import io.meshlake.sink.writer.SinkEvent;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The worker-wide account of buffered events: reserved on add, released on commit and on revoke. */
class BufferMemoryTest {

  static final BatchWriter NOOP = new CountingWriter(true);

  /** A writer that only counts what it is given. */
  static final class CountingWriter implements BatchWriter {
    final boolean holdsDecoded;
    int added;
    int discarded;
    SinkEvent last;

    CountingWriter(boolean holdsDecoded) {
      this.holdsDecoded = holdsDecoded;
    }

    @Override
    public long resumeOffset() {
      return 0;
    }

    @Override
    public void add(SinkEvent event) {
      added++;
      last = event;
    }

    @Override
    public boolean holdsDecodedEvents() {
      return holdsDecoded;
    }

    @Override
    public void commit(long lastOffset) {}

    @Override
    public void discard() {
      discarded++;
    }
  }

  static SinkEvent event(long offset) {
    return new SinkEvent(ENVELOPE, null, "ws", null, "t", 0, offset, 0L);
  }

  /** An envelope still carrying its serialized entity, as the decoder returns it. */
  static final FacsimileRecord ENVELOPE = FacsimileRecord.newBuilder().setVersion(3)
      .setEntity(Any.newBuilder().setTypeUrl("type.googleapis.com/x").setValue(ByteString.copyFromUtf8("payload"))).build();

  @Test
  void aWriterThatKeepsDecodedEventsGetsThemWithoutTheSerializedEntityOthersGetThemAsDecoded() {
    CountingWriter keeps = new CountingWriter(true);
    new PartitionBuffer(new TopicPartition("t", 0), keeps, new BufferMemory()).add(event(1), 1_000, 0);
    assertThat(keeps.last.record().hasEntity()).isFalse();
    assertThat(keeps.last.record().getVersion()).isEqualTo(3);
    CountingWriter writes = new CountingWriter(false);
    new PartitionBuffer(new TopicPartition("t", 0), writes, new BufferMemory()).add(event(1), 1_000, 0);
    assertThat(writes.last.record()).isSameAs(ENVELOPE);
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
  void aWriterThatWritesAsEventsArriveIsChargedTheirEncodedSizeAndDropsItsBatchOnDiscard() {
    BufferMemory memory = new BufferMemory();
    CountingWriter streaming = new CountingWriter(false);
    PartitionBuffer buffer = new PartitionBuffer(new TopicPartition("t", 0), streaming, memory);
    for (int i = 0; i < 10; i++) {
      buffer.add(event(i), 1_000, 0);
    }
    assertThat(streaming.added).isEqualTo(10);
    assertThat(buffer.size()).isEqualTo(10);
    assertThat(buffer.heapBytes()).isEqualTo(10 * BufferMemory.estimateEncoded(1_000))
        .isLessThan(10 * BufferMemory.estimate(1_000));
    buffer.discard();
    assertThat(streaming.discarded).isEqualTo(1);
    assertThat(memory.used()).isZero();
  }

  @Test
  void aBatchIsDueOnceItsPartitionIdlesButNotWhileRecordsKeepArriving() {
    PartitionBuffer buffer = new PartitionBuffer(new TopicPartition("t", 0), NOOP, new BufferMemory());
    Duration interval = Duration.ofSeconds(10);
    Duration idle = Duration.ofSeconds(2);
    for (int i = 0; i < 8; i++) {
      buffer.add(event(i), 100, i * 1_000L); // one record a second: never idle for 2 s
      assertThat(buffer.due(i * 1_000L + 1_500, 50_000, Long.MAX_VALUE, interval, idle)).isFalse();
    }
    assertThat(buffer.due(7_000 + 1_999, 50_000, Long.MAX_VALUE, interval, idle)).isFalse();
    assertThat(buffer.due(7_000 + 2_000, 50_000, Long.MAX_VALUE, interval, idle)).as("2 s since the last record").isTrue();
    assertThat(buffer.due(7_000 + 2_000, 50_000, Long.MAX_VALUE, interval, Duration.ZERO)).as("idle flush off").isFalse();
    assertThat(buffer.due(10_000, 50_000, Long.MAX_VALUE, interval, Duration.ZERO)).as("the interval still applies").isTrue();
    buffer.committed();
    assertThat(buffer.due(60_000, 50_000, Long.MAX_VALUE, interval, idle)).as("nothing buffered").isFalse();
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
    assertThat(big.due(0, 50_000, Long.MAX_VALUE, Duration.ofHours(1), Duration.ZERO)).isFalse();
  }
}
