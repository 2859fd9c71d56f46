package io.meshlake.registry.store;

import io.meshlake.registry.RegistryConfig;
import io.meshlake.registry.RegistryException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code _schemas} topic: one partition, compacted, read from the beginning by every instance.
 *
 * <p>Writes are proposals. A writer first catches up to the end of the log, decides on that state
 * (version, id, compatibility), produces a record naming its decision and a fresh proposal id, and
 * then waits until its own applier has applied that record: {@link RegistryState} tells whether the
 * proposal won (it was the first valid claim in log order) or lost to a concurrent writer, in which
 * case the writer decides again. Two instances can therefore both accept writes: the log orders
 * their proposals and every instance judges them identically.
 */
public final class SchemaLog implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaLog.class);

  private final RegistryConfig config;
  private final RegistryState state;
  private final TopicPartition partition;
  private Admin admin;
  private KafkaProducer<byte[], byte[]> producer;
  private KafkaConsumer<byte[], byte[]> consumer;
  private final Map<String, CompletableFuture<RegistryState.Outcome>> pending = new ConcurrentHashMap<>();
  private Thread applier;
  private volatile boolean running = true;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Throwable applierFailure;

  private SchemaLog(RegistryConfig config, RegistryState state) {
    this.config = config;
    this.state = state;
    this.partition = new TopicPartition(config.topic(), 0);
  }

  private void createClients() {
    String clientId = "meshlake-registry-" + UUID.randomUUID().toString().substring(0, 8);
    Map<String, Object> common = new HashMap<>(config.kafkaProperties());
    common.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());

    Map<String, Object> adminProps = new HashMap<>(common);
    adminProps.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-admin");
    this.admin = Admin.create(adminProps);

    Map<String, Object> producerProps = new HashMap<>(common);
    producerProps.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-writer");
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(producerProps);

    Map<String, Object> consumerProps = new HashMap<>(common);
    consumerProps.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-reader");
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    this.consumer = new KafkaConsumer<>(consumerProps);

    this.applier = new Thread(this::applyLoop, clientId + "-applier");
    this.applier.setDaemon(true);
  }

  /**
   * Connects, creates or validates the topic, and reads it to its end into {@code state}.
   *
   * @throws IllegalStateException with a message saying what to fix when Kafka cannot be reached in
   *     time or the topic is unusable
   */
  public static SchemaLog open(RegistryConfig config, RegistryState state) {
    long deadline = System.nanoTime() + config.startupTimeout().toNanos();
    SchemaLog log = new SchemaLog(config, state);
    try {
      try {
        log.createClients();
      } catch (KafkaException e) {
        throw new IllegalStateException("could not create Kafka clients for bootstrap.servers '"
            + config.bootstrapServers() + "': " + rootMessage(e) + ". Check bootstrap.servers"
            + " (MESHLAKE_REGISTRY_BOOTSTRAP_SERVERS) and the kafka.* client settings", e);
      }
      log.ensureTopic(deadline);
      log.consumer.assign(List.of(log.partition));
      log.consumer.seekToBeginning(List.of(log.partition));
      log.applier.start();
      long end = log.endOffset(deadline);
      if (!log.awaitApplied(end, deadline)) {
        throw new IllegalStateException("could not read topic '" + config.topic() + "' to its end (offset " + end
            + ") within " + config.startupTimeout().toMillis() + " ms (startup.timeout.ms); read up to offset "
            + state.nextOffset());
      }
      LOG.info("read topic '{}' up to offset {}: {}", config.topic(), end, state.counts());
      return log;
    } catch (RuntimeException e) {
      log.close();
      throw e;
    }
  }

  /** Creates or validates the topic; retries while a just-created topic is not yet in the metadata. */
  private void ensureTopic(long deadline) {
    while (true) {
      try {
        ensureTopicOnce(deadline);
        return;
      } catch (TopicNotVisibleYet e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic '" + config.topic() + "' was created but did not become visible within "
              + config.startupTimeout().toMillis() + " ms (startup.timeout.ms)", e.getCause());
        }
        sleepQuietly(100);
      }
    }
  }

  /** The broker knows the topic's name but not yet its partitions or configs (right after creation). */
  private static final class TopicNotVisibleYet extends RuntimeException {
    TopicNotVisibleYet(Throwable cause) {
      super(cause);
    }
  }

  private void ensureTopicOnce(long deadline) {
    String topic = config.topic();
    try {
      Optional<TopicDescription> description = describe(deadline);
      if (description.isEmpty()) {
        NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.ofNullable(config.topicReplicationFactor()))
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
          admin.createTopics(List.of(newTopic)).all().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
          LOG.info("created topic '{}' (1 partition, cleanup.policy=compact)", topic);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("could not create topic '" + topic + "' on " + config.bootstrapServers()
                + ": " + e.getCause().getMessage() + ". Create it yourself with 1 partition and cleanup.policy=compact"
                + (config.topicReplicationFactor() == null ? ", or set topic.replication.factor" : ""), e.getCause());
          }
        }
        description = describe(deadline);
        if (description.isEmpty()) {
          throw new TopicNotVisibleYet(null);
        }
      }
      int partitions = description.map(d -> d.partitions().size()).orElse(1);
      if (partitions != 1) {
        throw new IllegalStateException("topic '" + topic + "' has " + partitions + " partitions; the registry needs"
            + " exactly 1, so that every instance reads every change in the same order. Point 'topic' at a"
            + " 1-partition compacted topic, or let the registry create one by naming a topic that does not exist");
      }
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
      Config topicConfig = admin.describeConfigs(List.of(resource)).all()
          .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).get(resource);
      ConfigEntry policy = topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG);
      String value = policy == null ? "delete" : policy.value();
      if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(value)) {
        throw new IllegalStateException("topic '" + topic + "' has cleanup.policy=" + value + "; the registry needs"
            + " cleanup.policy=compact, or retention would delete schemas. Change it with kafka-configs.sh --alter"
            + " --entity-type topics --entity-name " + topic + " --add-config cleanup.policy=compact");
      }
    } catch (TimeoutException e) {
      throw unreachable(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
        throw unreachable(e.getCause());
      }
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        throw new TopicNotVisibleYet(e.getCause());
      }
      throw new IllegalStateException("could not inspect topic '" + topic + "' on " + config.bootstrapServers()
          + ": " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    }
  }

  private Optional<TopicDescription> describe(long deadline)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      Map<String, TopicDescription> all = admin.describeTopics(Set.of(config.topic())).allTopicNames()
          .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      return Optional.ofNullable(all.get(config.topic()));
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private IllegalStateException unreachable(Throwable cause) {
    return new IllegalStateException("could not reach Kafka at '" + config.bootstrapServers() + "' within "
        + config.startupTimeout().toMillis() + " ms: check bootstrap.servers (" + "MESHLAKE_REGISTRY_BOOTSTRAP_SERVERS)"
        + " and that the brokers are up, or raise startup.timeout.ms", cause);
  }

  private void applyLoop() {
    try {
      while (running) {
        try {
          for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
            apply(record);
          }
          state.advanceTo(consumer.position(partition));
        } catch (WakeupException e) {
          // close() woke us up; the loop condition decides
        } catch (RuntimeException e) {
          LOG.warn("reading topic '{}' failed, retrying: {}", config.topic(), e.toString());
          sleepQuietly(1000);
        }
      }
    } catch (Throwable t) {
      applierFailure = t;
      LOG.error("the reader of topic '{}' stopped; writes will fail until restart", config.topic(), t);
      pending.values().forEach(f -> f.completeExceptionally(t));
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    LogRecord decoded;
    try {
      decoded = LogCodec.decode(record.key(), record.value());
    } catch (RuntimeException e) {
      // Deterministic: every instance skips the same unreadable record.
      LOG.warn("skipping unreadable record at offset {} of '{}': {}", record.offset(), config.topic(), e.getMessage());
      decoded = null;
    }
    if (decoded == null) {
      state.advanceTo(record.offset() + 1);
      return;
    }
    RegistryState.Outcome outcome = state.apply(record.offset(), decoded);
    String proposal = proposalOf(decoded);
    if (proposal != null) {
      CompletableFuture<RegistryState.Outcome> waiting = pending.remove(proposal);
      if (waiting != null) {
        waiting.complete(outcome);
      }
    }
  }

  private static String proposalOf(LogRecord record) {
    if (record instanceof LogRecord.Register r) {
      return r.proposal();
    } else if (record instanceof LogRecord.SoftDelete d) {
      return d.proposal();
    } else if (record instanceof LogRecord.HardDelete d) {
      return d.proposal();
    }
    return null;
  }

  /** The offset after the last record of the topic now. */
  public long endOffset(long deadline) {
    try {
      return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
          .get(remainingMillis(deadline), TimeUnit.MILLISECONDS).offset();
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw RegistryException.storeError("Error while reading the end of topic '" + config.topic() + "': " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.storeError("interrupted", e);
    }
  }

  /** Waits until this instance has applied every record written before now. */
  public void catchUp(long deadline) {
    checkApplier();
    long end = endOffset(deadline);
    if (!awaitApplied(end, deadline)) {
      throw RegistryException.storeError("Error while reading topic '" + config.topic() + "': not caught up to offset "
          + end + " in time (at " + state.nextOffset() + ")", null);
    }
  }

  private boolean awaitApplied(long offset, long deadline) {
    try {
      return state.awaitOffset(offset, deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.storeError("interrupted", e);
    }
  }

  /**
   * Produces a proposal (register or delete) and returns how it was judged when this instance
   * applied it.
   */
  public RegistryState.Outcome propose(LogRecord proposal, long deadline) {
    checkApplier();
    String id = proposalOf(proposal);
    if (id == null) {
      throw new IllegalArgumentException("not a proposal: " + proposal);
    }
    CompletableFuture<RegistryState.Outcome> outcome = new CompletableFuture<>();
    pending.put(id, outcome);
    try {
      produce(proposal, deadline);
      return outcome.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw RegistryException.storeError("Error while writing to topic '" + config.topic()
          + "': the change was sent but not read back within " + config.writeTimeout().toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw RegistryException.storeError("Error while writing to topic '" + config.topic() + "': " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.storeError("interrupted", e);
    } finally {
      pending.remove(id);
    }
  }

  /** Produces a config change and waits until this instance has applied it. */
  public void write(LogRecord.Config change, long deadline) {
    checkApplier();
    long offset = produce(change, deadline);
    if (!awaitApplied(offset + 1, deadline)) {
      throw RegistryException.storeError("Error while writing to topic '" + config.topic()
          + "': the change was sent but not read back within " + config.writeTimeout().toMillis() + " ms", null);
    }
  }

  private long produce(LogRecord record, long deadline) {
    LogCodec.Encoded encoded = LogCodec.encode(record);
    try {
      RecordMetadata metadata = producer.send(new ProducerRecord<>(config.topic(), 0, encoded.key(), encoded.value()))
          .get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
      return metadata.offset();
    } catch (ExecutionException e) {
      throw RegistryException.storeError("Error while writing to topic '" + config.topic() + "': " + e.getCause(), e);
    } catch (TimeoutException e) {
      throw RegistryException.storeError("Error while writing to topic '" + config.topic() + "': Kafka did not"
          + " acknowledge within " + config.writeTimeout().toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.storeError("interrupted", e);
    }
  }

  private void checkApplier() {
    Throwable failure = applierFailure;
    if (failure != null) {
      throw RegistryException.storeError("the reader of topic '" + config.topic() + "' stopped: " + failure, failure);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
  }

  private static long remainingMillis(long deadline) {
    return Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    running = false;
    if (consumer != null) {
      consumer.wakeup();
    }
    if (applier != null && applier.isAlive()) {
      try {
        applier.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    pending.values().forEach(f -> f.completeExceptionally(new IllegalStateException("registry closed")));
    if (consumer != null) {
      closeQuietly(consumer, "consumer");
    }
    if (producer != null) {
      closeQuietly(() -> producer.close(Duration.ofSeconds(5)), "producer");
    }
    if (admin != null) {
      closeQuietly(() -> admin.close(Duration.ofSeconds(5)), "admin");
    }
  }

  private static void closeQuietly(AutoCloseable closeable, String what) {
    try {
      closeable.close();
    } catch (Exception e) {
      LOG.debug("closing the {} failed: {}", what, e.toString());
    }
  }
}
