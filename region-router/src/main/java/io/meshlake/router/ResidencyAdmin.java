package io.meshlake.router;

import io.meshlake.contracts.ResourceAris;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assigns or changes a workspace's home region: reads the current residency, writes the record with
 * the next epoch to {@code control.workspace-residency} and the change event to
 * {@code control.residency-changes}, both in one transaction.
 *
 * <p>Every write starts a fresh writer under one transactional id shared by all admins: initializing
 * it fences any other admin and waits until that admin's committed writes are readable, so the read
 * that decides the next epoch has seen every epoch handed out before. An admin fenced between its
 * read and its commit reads again and retries. Epochs therefore increase in log order per workspace,
 * which the compacted topic needs (compaction keeps the last record, not the highest epoch).
 */
public final class ResidencyAdmin implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ResidencyAdmin.class);
  private static final int ATTEMPTS = 3;
  private static final int BULK = 10;

  private final Map<String, Object> clientConfig;
  private final Set<String> regions;
  private final String residencyTopic;
  private final String changesTopic;
  private final Clock clock;
  private final Duration timeout;
  private final KafkaConsumer<byte[], byte[]> reader;
  private final Map<String, ResidencyRecord> table = new HashMap<>();
  private final Map<String, Long> lastEpochs = new HashMap<>();
  private boolean closed;

  /**
   * @param clientConfig Kafka client settings of the ingress cluster (bootstrap.servers at least)
   * @param regions the region names a workspace may be assigned to
   */
  public ResidencyAdmin(Map<String, Object> clientConfig, Collection<String> regions, String residencyTopic,
      String changesTopic, Clock clock, Duration timeout) {
    this.clientConfig = Map.copyOf(clientConfig);
    this.regions = new LinkedHashSet<>(regions);
    this.residencyTopic = residencyTopic;
    this.changesTopic = changesTopic;
    this.clock = clock;
    this.timeout = timeout;
    ensureTopics();
    Map<String, Object> readerConfig = new HashMap<>(clientConfig);
    readerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    readerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    readerConfig.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    readerConfig.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    readerConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
    this.reader = new KafkaConsumer<>(readerConfig);
    List<TopicPartition> partitions = new ArrayList<>();
    reader.partitionsFor(residencyTopic, timeout).forEach(p -> partitions.add(new TopicPartition(residencyTopic, p.partition())));
    reader.assign(partitions);
    reader.seekToBeginning(partitions);
  }

  /** An admin for the router's ingress cluster, regions and topics. */
  public static ResidencyAdmin create(RegionRouterConfig config) {
    return new ResidencyAdmin(config.ingressClientConfig(), config.regions(), config.residencyTopic(),
        config.residencyChangesTopic(), Clock.systemUTC(), config.startupTimeout());
  }

  /**
   * Makes {@code region} the workspace's home region. Events the router routes after it has read this
   * record go there; events already routed stay (moving them is the migration job's). Assigning the
   * current region again changes nothing.
   *
   * @return the workspace's residency now
   * @throws IllegalArgumentException for an unknown region or an invalid workspace id
   */
  public ResidencyRecord assign(String workspace, String region) {
    return assignAll(Map.of(workspace, region)).get(workspace);
  }

  /**
   * {@link #assign} for many workspaces in one transaction: all of them change, or none.
   *
   * @return each workspace's residency now
   */
  public synchronized Map<String, ResidencyRecord> assignAll(Map<String, String> regionByWorkspace) {
    ensureOpen();
    regionByWorkspace.forEach((workspace, region) -> {
      ResourceAris.workspaceAri(workspace); // validates the id
      if (!regions.contains(region)) {
        throw new IllegalArgumentException("unknown region '" + region + "' for workspace '" + workspace
            + "': the configured regions are " + regions);
      }
    });
    for (int attempt = 1; ; attempt++) {
      try {
        return write(new TreeMap<>(regionByWorkspace));
      } catch (ProducerFencedException e) {
        // Another admin took over the writer between our read and our commit: read again and retry.
        LOG.info("residency writer fenced by another admin; retrying ({}/{})", attempt, ATTEMPTS);
        if (attempt == ATTEMPTS) {
          throw new IllegalStateException("could not assign " + regionByWorkspace.keySet() + ": other residency"
              + " admins kept taking over the writer (" + ATTEMPTS + " attempts)", e);
        }
      }
    }
  }

  /**
   * The workspace's current residency, as committed in the residency topic (a change another admin
   * committed a moment ago may not be visible yet; {@link #assign} always decides on a fenced read).
   */
  public synchronized Optional<ResidencyRecord> residency(String workspace) {
    ensureOpen();
    catchUp();
    return Optional.ofNullable(table.get(workspace));
  }

  private Map<String, ResidencyRecord> write(Map<String, String> regionByWorkspace) {
    // A fresh writer per write: initTransactions fences every other admin and waits until their
    // committed transactions are readable, so the read below sees every epoch handed out before.
    try (KafkaProducer<byte[], byte[]> producer = newWriter()) {
      catchUp();
      Map<String, ResidencyRecord> result = new TreeMap<>();
      List<ResidencyRecord> written = new ArrayList<>();
      List<ResidencyChange> changes = new ArrayList<>();
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      regionByWorkspace.forEach((workspace, region) -> {
        ResidencyRecord current = table.get(workspace);
        if (current != null && current.region().equals(region)) {
          result.put(workspace, current);
          return;
        }
        long epoch = Math.max(current == null ? 0 : current.epoch(), lastEpochs.getOrDefault(workspace, 0L)) + 1;
        ResidencyRecord next = new ResidencyRecord(workspace, region, epoch, now);
        written.add(next);
        changes.add(new ResidencyChange(workspace, current == null ? null : current.region(), region, epoch, now));
        result.put(workspace, next);
      });
      if (written.isEmpty()) {
        return result;
      }
      try {
        producer.beginTransaction();
        for (int i = 0; i < written.size(); i++) {
          byte[] key = written.get(i).workspace().getBytes(StandardCharsets.UTF_8);
          producer.send(new ProducerRecord<>(residencyTopic, key, ResidencyCodec.encode(written.get(i))));
          producer.send(new ProducerRecord<>(changesTopic, key, ResidencyCodec.encode(changes.get(i))));
        }
        producer.commitTransaction();
      } catch (KafkaException e) {
        if (fenced(e)) {
          throw new ProducerFencedException("fenced by another residency admin: " + e.getMessage());
        }
        throw new IllegalStateException("could not write the residency of " + regionByWorkspace.keySet() + " to "
            + residencyTopic + ": " + e, e);
      }
      for (int i = 0; i < written.size(); i++) {
        ResidencyRecord next = written.get(i);
        table.put(next.workspace(), next);
        lastEpochs.put(next.workspace(), next.epoch());
        ResidencyChange change = changes.get(i);
        // One line per change for a handful; a bulk assignment gets a summary instead.
        if (written.size() <= BULK) {
          LOG.info("workspace '{}' now resides in {} (epoch {}, was {})", next.workspace(), next.region(),
              next.epoch(), change.fromRegion() == null ? "unassigned" : change.fromRegion());
        } else {
          LOG.debug("workspace '{}' now resides in {} (epoch {}, was {})", next.workspace(), next.region(),
              next.epoch(), change.fromRegion() == null ? "unassigned" : change.fromRegion());
        }
      }
      if (written.size() > BULK) {
        LOG.info("{} workspaces assigned or moved in one transaction (epochs in {})", written.size(), residencyTopic);
      }
      return result;
    }
  }

  private static boolean fenced(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }

  /** Reads the residency topic up to its committed end. */
  private void catchUp() {
    Map<TopicPartition, Long> end = reader.endOffsets(reader.assignment(), timeout);
    long until = System.nanoTime() + timeout.toNanos();
    while (end.entrySet().stream().anyMatch(e -> reader.position(e.getKey(), timeout) < e.getValue())) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("could not read " + residencyTopic + " to its end within " + timeout);
      }
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(200))) {
        apply(record);
      }
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      return;
    }
    String workspace = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      table.remove(workspace);
      return;
    }
    try {
      ResidencyRecord update = ResidencyCodec.decode(record.value());
      if (update.workspace().equals(workspace) && update.supersedes(table.get(workspace))) {
        table.put(workspace, update);
        lastEpochs.merge(workspace, update.epoch(), Math::max);
      }
    } catch (InvalidResidencyException e) {
      LOG.warn("skipping residency record of '{}' at {}-{}@{}: {}", workspace, record.topic(), record.partition(),
          record.offset(), e.getMessage());
    }
  }

  private KafkaProducer<byte[], byte[]> newWriter() {
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "meshlake-residency-admin-" + residencyTopic);
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config);
    try {
      producer.initTransactions();
      return producer;
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw new IllegalStateException("could not start the residency writer on "
          + clientConfig.get("bootstrap.servers") + ": " + e, e);
    }
  }

  private void ensureTopics() {
    try (Admin admin = Admin.create(clientConfig)) {
      ControlTopics.ensure(admin, residencyTopic, changesTopic, null, timeout);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("this ResidencyAdmin is closed");
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    reader.close(Duration.ofSeconds(5));
  }
}
