package io.meshlake.streams;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the application's consumer group is behind its input topics. Under exactly_once_v2 the group's
 * offsets are committed in the same transaction as the outputs, so zero lag means every input record's
 * outputs are committed.
 */
final class InputLag {

  private InputLag() {}

  static long of(Admin admin, String group, Collection<String> topics) {
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) ->
          description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      long lag = 0;
      for (var end : admin.listOffsets(latest).all().get().entrySet()) {
        OffsetAndMetadata position = committed.get(end.getKey());
        lag += end.getValue().offset() - (position == null ? 0 : position.offset());
      }
      return lag;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Polls until the group has committed past every input record; fails with the diagnostics after the deadline. */
  static void awaitZero(Admin admin, String group, Collection<String> topics, Duration deadline, Supplier<String> diagnostics)
      throws InterruptedException {
    long until = System.nanoTime() + deadline.toNanos();
    long lag;
    while ((lag = of(admin, group, topics)) > 0) {
      if (System.nanoTime() > until) {
        throw new AssertionError("group " + group + " still " + lag + " records behind " + topics + " after " + deadline + "; "
            + diagnostics.get());
      }
      Thread.sleep(200);
    }
  }
}
