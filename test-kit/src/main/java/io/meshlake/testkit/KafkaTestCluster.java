package io.meshlake.testkit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft Kafka cluster (combined broker+controller) running in this JVM.
 *
 * <p>Start one per test class; give every test its own topics ({@link #uniqueTopic}). {@link #close()}
 * may be called more than once: the underlying test kit throws on a second close.
 */
public final class KafkaTestCluster implements AutoCloseable {

  private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();

  private final String name;
  private final KafkaClusterTestKit cluster;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Admin admin;

  private KafkaTestCluster(String name, KafkaClusterTestKit cluster) {
    this.name = name;
    this.cluster = cluster;
  }

  public static KafkaTestCluster start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Builds and starts a cluster. */
  public static final class Builder {
    private String name = "kafka";
    private int brokers = 1;
    private Path baseDirectory;
    private final Map<String, Object> config = new HashMap<>();

    private Builder() {
      // Fast, single-node defaults: internal topics must fit on one broker, and a loaded
      // 2-core machine must not time consumers out of their groups.
      config.put("offsets.topic.replication.factor", "1");
      config.put("offsets.topic.num.partitions", "4");
      config.put("transaction.state.log.replication.factor", "1");
      config.put("transaction.state.log.min.isr", "1");
      config.put("transaction.state.log.num.partitions", "4");
      config.put("group.initial.rebalance.delay.ms", "0");
      config.put("auto.create.topics.enable", "false");
      config.put("num.partitions", "1");
      config.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
    }

    /** A label used in thread names and logs, e.g. a region. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder brokers(int brokers) {
      this.brokers = brokers;
      return this;
    }

    /** Keeps the cluster's logs in this directory (otherwise a temporary one, deleted on close). */
    public Builder baseDirectory(Path baseDirectory) {
      this.baseDirectory = baseDirectory;
      return this;
    }

    public Builder config(String key, Object value) {
      config.put(key, value);
      return this;
    }

    public KafkaTestCluster start() {
      try {
        TestKitNodes.Builder nodes = new TestKitNodes.Builder()
            .setCombined(true)
            .setNumBrokerNodes(brokers)
            .setNumControllerNodes(1);
        if (baseDirectory != null) {
          nodes.setBaseDirectory(baseDirectory);
        }
        KafkaClusterTestKit.Builder kit = new KafkaClusterTestKit.Builder(nodes.build());
        if (baseDirectory != null) {
          kit.setDeleteOnClose(false);
        }
        config.forEach(kit::setConfigProp);
        KafkaClusterTestKit cluster = kit.build();
        KafkaTestCluster result = new KafkaTestCluster(name, cluster);
        try {
          cluster.format();
          cluster.startup();
          cluster.waitForReadyBrokers();
        } catch (Exception | Error e) {
          result.close();
          throw e;
        }
        return result;
      } catch (Exception e) {
        throw new IllegalStateException("could not start Kafka cluster '" + name + "': " + e, e);
      }
    }
  }

  public String name() {
    return name;
  }

  public String bootstrapServers() {
    return cluster.bootstrapServers();
  }

  /** A topic name no other test in this JVM gets. */
  public static String uniqueTopic(String prefix) {
    return prefix + "-" + TOPIC_COUNTER.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
  }

  public synchronized Admin admin() {
    if (admin == null) {
      Properties props = new Properties();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      admin = Admin.create(props);
    }
    return admin;
  }

  public void createTopic(String topic, int partitions) {
    createTopic(topic, partitions, Map.of());
  }

  public void createCompactedTopic(String topic, int partitions) {
    createTopic(topic, partitions, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
  }

  public void createTopic(String topic, int partitions, Map<String, String> configs) {
    NewTopic newTopic = new NewTopic(topic, partitions, (short) 1).configs(configs);
    try {
      admin().createTopics(List.of(newTopic)).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create topic " + topic + ": " + e.getCause(), e.getCause());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Map<String, Object> producerConfig() {
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return props;
  }

  public Map<String, Object> consumerConfig(String groupId) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  public KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(producerConfig());
  }

  /**
   * Reads every committed record of the topics, from the beginning up to the end offsets
   * as of now (read_committed), without joining a consumer group.
   */
  public List<ConsumerRecord<byte[], byte[]>> readAll(Collection<String> topics, Duration deadline) {
    Map<String, Object> props = consumerConfig("unused");
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : topics) {
        consumer.partitionsFor(topic, deadline).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, deadline);
      long until = System.nanoTime() + deadline.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp, deadline) < end.get(tp))) {
        if (System.nanoTime() > until) {
          throw new IllegalStateException("did not reach the end of " + topics + " within " + deadline);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    return out;
  }

  public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    return readAll(List.of(topic), Duration.ofSeconds(60));
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (admin != null) {
      admin.close(Duration.ofSeconds(5));
    }
    try {
      cluster.close();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop Kafka cluster '" + name + "': " + e, e);
    }
  }

  @Override
  public String toString() {
    return "KafkaTestCluster[" + name + " @ " + bootstrapServers() + "]";
  }
}
