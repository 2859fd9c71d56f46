package io.meshlake.bus;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.meshlake.contracts.ContractTypes;
import io.meshlake.contracts.ResourceAris;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.facsimile.v1.OffloadPointer;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufEncoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a product service embeds to publish its entities' changes onto the replication bus.
 *
 * <p>Each change becomes one {@link FacsimileRecord} on {@code facsimile.<domain>}, keyed by the
 * resource ARI (so all changes of an entity share a partition), Confluent-framed against the schema
 * registry. The producer is idempotent: retries never duplicate. A payload above the threshold is
 * put in the offload store under {@code workspaces/<workspace>/offload/...}, so erasure and
 * residency can act on a workspace's prefix, and the event carries an {@link OffloadPointer} with its
 * size and SHA-256.
 */
public final class ReplicationBusPublisher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ReplicationBusPublisher.class);

  private final PublisherConfig config;
  private final EntityCatalog catalog;
  private final KafkaProducer<byte[], byte[]> producer;
  private final ProtobufEncoder envelopeEncoder;
  private final ProtobufEncoder entityEncoder;
  private final AtomicLong offloaded = new AtomicLong();
  private final AtomicLong published = new AtomicLong();

  public ReplicationBusPublisher(PublisherConfig config) {
    this(config, EntityCatalog.load());
  }

  public ReplicationBusPublisher(PublisherConfig config, EntityCatalog catalog) {
    this.config = config;
    this.catalog = catalog;
    SchemaRegistryClient registry = new SchemaRegistryClient(config.registryUrl());
    this.envelopeEncoder = new ProtobufEncoder(registry);
    // Entity schemas go under their message name, so any consumer can find the schema of an Any payload.
    this.entityEncoder = new ProtobufEncoder(registry, ProtobufEncoder.SubjectNameStrategy.RECORD, true, false);
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1024 * 1024);
    props.putAll(config.producerOverrides());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    this.producer = new KafkaProducer<>(props);
  }

  /** Publishes one change; the future completes when the bus has it (acks=all). */
  public CompletableFuture<RecordMetadata> publish(EntityChange change) {
    EntityManifest manifest = manifestOf(change.entity());
    FacsimileRecord record = envelope(manifest, change);
    String topic = manifest.ingressTopic();
    byte[] key = record.getResourceAri().getValue().getBytes(StandardCharsets.UTF_8);
    byte[] value = envelopeEncoder.encode(topic, record);
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
      if (error != null) {
        LOG.warn("publishing {} v{} to {} failed: {}", record.getResourceAri().getValue(), change.version(), topic, error.toString());
        result.completeExceptionally(error);
      } else {
        published.incrementAndGet();
        result.complete(metadata);
      }
    });
    return result;
  }

  /** Builds the envelope for a change, offloading the payload when it is too large for the bus. */
  FacsimileRecord envelope(EntityManifest manifest, EntityChange change) {
    String id = primaryKey(manifest, change.entity());
    FacsimileRecord.Builder record = FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue(ResourceAris.resourceAri(manifest, change.workspace(), id)))
        .setEntityType(manifest.entityType())
        .setWorkspaceId(Ari.newBuilder().setValue(ResourceAris.workspaceAri(change.workspace())))
        .setVersion(change.version())
        .setGenerationWatermark(change.generationWatermark())
        .setIsTombstone(change.tombstone());
    // Make sure the entity's own schema is in the registry for consumers decoding the Any.
    entityEncoder.schemaId(manifest.ingressTopic(), change.entity().getDescriptorForType());
    byte[] payload = change.entity().toByteArray();
    if (payload.length > config.offloadThresholdBytes()) {
      record.setOffloadPointer(offload(manifest, change, payload));
    } else {
      record.setEntity(Any.pack(change.entity()));
    }
    return record.build();
  }

  private OffloadPointer offload(EntityManifest manifest, EntityChange change, byte[] payload) {
    if (config.offloadStore() == null) {
      throw new IllegalStateException(manifest.entity() + " payload of " + payload.length + " bytes is above the offload threshold ("
          + config.offloadThresholdBytes() + ") and no offload store is configured");
    }
    byte[] sha256 = sha256(payload);
    String key = "workspaces/" + change.workspace() + "/offload/" + manifest.domain() + "/" + HexFormat.of().formatHex(sha256);
    URI uri = config.offloadStore().put(key, payload);
    offloaded.incrementAndGet();
    LOG.debug("offloaded {} bytes of {} to {}", payload.length, manifest.entity(), uri);
    return OffloadPointer.newBuilder()
        .setUri(uri.toString())
        .setSizeBytes(payload.length)
        .setSha256(ByteString.copyFrom(sha256))
        .setTypeUrl(ContractTypes.typeUrl(change.entity().getDescriptorForType()))
        .build();
  }

  private EntityManifest manifestOf(Message entity) {
    String name = entity.getDescriptorForType().getFullName();
    return catalog.byEntity(name).orElseThrow(() -> new IllegalArgumentException(
        name + " has no entity manifest; add one next to its .proto and to meshlake/catalog.yaml"));
  }

  private static String primaryKey(EntityManifest manifest, Message entity) {
    FieldDescriptor field = entity.getDescriptorForType().findFieldByName(manifest.primaryKey());
    Object value = entity.getField(field);
    return value == null ? "" : value.toString();
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public void flush() {
    producer.flush();
  }

  public long publishedCount() {
    return published.get();
  }

  public long offloadedCount() {
    return offloaded.get();
  }

  @Override
  public void close() {
    producer.close();
  }
}
