package io.meshlake.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where topics and consumer groups stand: end offsets (the last stable offset, read_committed), the
 * offset of the last data record of each partition (transactional topics end with commit markers,
 * which a sink never sees, so its recorded offset stops at the last data record), and a group's
 * committed offsets. Used from one thread.
 */
final class TopicOffsets implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Admin admin;

  TopicOffsets(String bootstrapServers) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-offsets");
    consumer = new KafkaConsumer<>(props);
    Map<String, Object> adminProps = new HashMap<>();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    admin = Admin.create(adminProps);
  }

  static List<TopicPartition> partitions(String topic, int count) {
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < count; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    return tps;
  }

  /** Per partition, the offset a read_committed consumer reads up to (exclusive). */
  long[] endOffsets(String topic, int partitions) {
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions(topic, partitions), TIMEOUT);
    long[] out = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      out[p] = ends.get(new TopicPartition(topic, p));
    }
    return out;
  }

  /** Per partition, the offset of the last committed data record, or -1 when it has none. */
  long[] lastDataOffsets(String topic, int partitions) {
    long[] ends = endOffsets(topic, partitions);
    long[] last = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      last[p] = lastDataOffset(new TopicPartition(topic, p), ends[p]);
    }
    return last;
  }

  private long lastDataOffset(TopicPartition tp, long end) {
    consumer.assign(List.of(tp));
    for (long window = 64; ; window *= 4) {
      long from = Math.max(0, end - window);
      consumer.seek(tp, from);
      long last = -1;
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (consumer.position(tp, TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("could not read " + tp + " up to " + end + " within " + TIMEOUT);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          last = Math.max(last, r.offset());
        }
      }
      if (last >= 0 || from == 0) {
        return last;
      }
    }
  }

  /** Per partition, the group's committed offset (the next offset it reads), 0 when none. */
  long[] committed(String groupId, String topic, int partitions) {
    Map<TopicPartition, OffsetAndMetadata> offsets;
    try {
      offsets = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not read the committed offsets of group " + groupId + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    long[] out = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      OffsetAndMetadata o = offsets.get(new TopicPartition(topic, p));
      out[p] = o == null ? 0 : o.offset();
    }
    return out;
  }

  /**
   * Whether a consumer group is settled with {@code members} members that share all {@code partitions}
   * partitions, none idle: a sink's tasks right after it starts or is reconfigured may otherwise run with
   * one task holding every partition until the group rebalances.
   */
  boolean balanced(String groupId, int members, int partitions) {
    ConsumerGroupDescription group;
    try {
      group = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId);
    } catch (ExecutionException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (group == null || group.members().size() != members) {
      return false;
    }
    int assigned = 0;
    for (MemberDescription m : group.members()) {
      int n = m.assignment().topicPartitions().size();
      if (n == 0) {
        return false;
      }
      assigned += n;
    }
    return assigned == partitions;
  }

  /**
   * Offsets written to a topic (data records, plus commit markers when written in transactions), 0 when
   * the topic does not exist: enough to tell an empty dead-letter topic from one that is not.
   */
  long recordsIfExists(String topic) {
    int partitions;
    try {
      partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return 0;
      }
      throw new IllegalStateException("could not describe " + topic + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return sum(endOffsets(topic, partitions));
  }

  static long sum(long[] values) {
    long total = 0;
    for (long v : values) {
      total += v;
    }
    return total;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
    admin.close(Duration.ofSeconds(5));
  }
}
