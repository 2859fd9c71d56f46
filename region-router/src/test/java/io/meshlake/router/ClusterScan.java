package io.meshlake.router;

import io.meshlake.testkit.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/** Reads clusters the way an auditor would: every topic, internal ones included, committed records only. */
final class ClusterScan {

  private ClusterScan() {}

  /** Every topic of the cluster, Kafka's and Connect's internal topics included. */
  static Set<String> allTopics(KafkaTestCluster cluster) throws Exception {
    return new TreeSet<>(cluster.admin().listTopics(new ListTopicsOptions().listInternal(true)).names()
        .get(30, TimeUnit.SECONDS));
  }

  /** The workspace ids ({@code ws-NNN}) mentioned anywhere in a record: key, value or headers. */
  static Set<String> workspacesMentioned(ConsumerRecord<byte[], byte[]> record, Pattern workspaceId) {
    Set<String> found = new TreeSet<>();
    scan(record.key(), workspaceId, found);
    scan(record.value(), workspaceId, found);
    for (Header header : record.headers()) {
      scan(header.key().getBytes(StandardCharsets.UTF_8), workspaceId, found);
      scan(header.value(), workspaceId, found);
    }
    return found;
  }

  private static void scan(byte[] bytes, Pattern workspaceId, Set<String> found) {
    if (bytes == null) {
      return;
    }
    // ISO-8859-1 maps every byte to one char: ids are found in binary protobuf as well as in JSON.
    Matcher m = workspaceId.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
    while (m.find()) {
      found.add(m.group());
    }
  }

  /**
   * Reads the topics (read_committed) until at least {@code expected} records arrived, or the deadline
   * passes; returns what was read.
   */
  static List<ConsumerRecord<byte[], byte[]>> awaitRecords(KafkaTestCluster cluster, List<String> topics, int expected,
      Duration deadline) {
    Map<String, Object> props = cluster.consumerConfig("unused");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    long until = System.nanoTime() + deadline.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic, deadline).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (records.size() < expected && System.nanoTime() < until) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    return records;
  }
}
