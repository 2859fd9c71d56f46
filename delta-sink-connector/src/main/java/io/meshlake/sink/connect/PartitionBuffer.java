package io.meshlake.sink.connect;

import io.meshlake.sink.writer.BatchWriter;
import io.meshlake.sink.writer.SinkEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;

/**
 * One assigned partition's records since its last commit, and when to commit them: by count, by
 * bytes, by age of the oldest, or once the partition idles. Events go to the partition's writer,
 * which holds the open batch (the newest rows per entity for a merge, data files being written for
 * an append). Bad records are not buffered but their offsets are, so the commit moves past them
 * once their dead-letter writes are acknowledged.
 */
final class PartitionBuffer {

  private final TopicPartition partition;
  private final BatchWriter writer;
  private int events;
  private final List<Future<Void>> deadLetters = new ArrayList<>();
  private final BufferMemory memory;
  private long bytes;
  private long heapBytes;
  private long firstAtMillis = -1;
  private long lastAtMillis = -1;
  /** Records (or skips) came in the delivery being handled: {@link #deliveryEnded} counts idleness from its end. */
  private boolean inDelivery;
  private long lastOffset = -1;
  private long durableOffset;

  PartitionBuffer(TopicPartition partition, BatchWriter writer, BufferMemory memory) {
    this.partition = partition;
    this.writer = writer;
    this.memory = memory;
    this.durableOffset = writer.resumeOffset() - 1;
    memory.partitionOpened();
  }

  TopicPartition partition() {
    return partition;
  }

  BatchWriter writer() {
    return writer;
  }

  /** Hands the event to the writer's open batch; a writer failure propagates (the batch is then unusable). */
  void add(SinkEvent event, long sizeBytes, long nowMillis) {
    boolean keeps = writer.holdsDecodedEvents();
    writer.add(keeps ? event.withoutSerializedEntity() : event);
    events++;
    long heap = keeps ? BufferMemory.estimate(sizeBytes) : BufferMemory.estimateEncoded(sizeBytes);
    heapBytes += heap;
    memory.reserve(heap);
    touch(event.offset(), sizeBytes, nowMillis);
  }

  void addDeadLetter(long offset, Future<Void> written, long nowMillis) {
    if (written != null) {
      deadLetters.add(written);
    }
    touch(offset, 0, nowMillis);
  }

  /** A record this partition's tables already hold (re-read after a restart). */
  void skip(long offset, long nowMillis) {
    touch(offset, 0, nowMillis);
  }

  private void touch(long offset, long sizeBytes, long nowMillis) {
    if (firstAtMillis < 0) {
      firstAtMillis = nowMillis;
    }
    lastAtMillis = nowMillis;
    inDelivery = true;
    bytes += sizeBytes;
    lastOffset = Math.max(lastOffset, offset);
  }

  /**
   * The task has handled a delivery: a partition that had records in it idles from now, not from
   * when the delivery began. Handling one can take longer than a short {@code flush.idle.ms} on a
   * loaded machine (or across a collection), and that is the task being busy, not the partition
   * being quiet: counted from the start, such a delivery committed small batches mid-backlog.
   */
  void deliveryEnded(long nowMillis) {
    if (inDelivery && firstAtMillis >= 0) {
      lastAtMillis = Math.max(lastAtMillis, nowMillis);
    }
    inDelivery = false;
  }

  /** @param idle commit once no record arrived for this long; zero never */
  boolean due(long nowMillis, int maxRecords, long maxBytes, Duration maxAge, Duration idle) {
    if (lastOffset <= durableOffset) {
      return false;
    }
    return events >= maxRecords || bytes >= maxBytes || nowMillis >= dueAtMillis(maxAge, idle);
  }

  /**
   * When the open batch falls due by age or by idleness (epoch millis); {@link Long#MAX_VALUE} when
   * nothing is open.
   */
  long dueAtMillis(Duration maxAge, Duration idle) {
    if (lastOffset <= durableOffset || firstAtMillis < 0) {
      return Long.MAX_VALUE;
    }
    long due = firstAtMillis + maxAge.toMillis();
    if (!idle.isZero()) {
      due = Math.min(due, lastAtMillis + idle.toMillis());
    }
    return due;
  }

  /** Estimated heap the buffered events hold. */
  long heapBytes() {
    return heapBytes;
  }

  int size() {
    return events;
  }

  List<Future<Void>> deadLetters() {
    return deadLetters;
  }

  long lastOffset() {
    return lastOffset;
  }

  /** The last offset durably written (in the tables), -1 when none. */
  long durableOffset() {
    return durableOffset;
  }

  void committed() {
    durableOffset = lastOffset;
    clear();
  }

  /** Drops what is buffered (the partition is revoked or rewound) and leaves the worker's account. */
  void discard() {
    writer.discard();
    clear();
    memory.partitionClosed();
  }

  private void clear() {
    events = 0;
    deadLetters.clear();
    memory.release(heapBytes);
    heapBytes = 0;
    bytes = 0;
    firstAtMillis = -1;
    lastAtMillis = -1;
    inDelivery = false;
  }
}
