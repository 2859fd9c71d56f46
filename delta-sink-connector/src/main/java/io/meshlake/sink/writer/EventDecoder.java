package io.meshlake.sink.writer;

import com.google.protobuf.Message;
import io.meshlake.contracts.ContractTypes;
import io.meshlake.bus.PayloadResolutionException;
import io.meshlake.bus.PayloadResolver;
import io.meshlake.contracts.ResourceAris;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.wire.ProtobufDecoder;
import io.meshlake.contracts.wire.WireFormatException;
import java.util.Map;

/**
 * Turns a record's value into a {@link SinkEvent}: Confluent-framed envelope checked against the
 * registry, entity type known, workspace and ARI present, payload resolved (offloaded payloads
 * fetched and verified). Anything else is a {@link BadRecordException} whose message is the reason
 * the dead-letter topic records.
 *
 * <p>For an Append sink the entity goes straight into its raw table's columns (see
 * {@link RawTableLayout#readEntity}), skipping the message a merge needs; what the fast reader does
 * not answer is parsed and flattened, with the same checks.
 */
public final class EventDecoder {

  private final ProtobufDecoder<FacsimileRecord> decoder;
  private final EntityCatalog catalog;
  private final PayloadResolver resolver;
  private final Map<Integer, RawTableLayout> rawLayouts;

  /** Events decoded with their entity message (for a Merge sink). */
  public EventDecoder(ProtobufDecoder<FacsimileRecord> decoder, EntityCatalog catalog, PayloadResolver resolver) {
    this(decoder, catalog, resolver, Map.of());
  }

  /** @param rawLayouts per entity type, the raw table whose columns its events are decoded into (an Append sink's) */
  public EventDecoder(ProtobufDecoder<FacsimileRecord> decoder, EntityCatalog catalog, PayloadResolver resolver,
      Map<Integer, RawTableLayout> rawLayouts) {
    this.decoder = decoder;
    this.catalog = catalog;
    this.resolver = resolver;
    this.rawLayouts = Map.copyOf(rawLayouts);
  }

  public SinkEvent decode(byte[] value, String topic, int partition, long offset, Long timestamp) {
    if (value == null) {
      throw new BadRecordException("null value (Kafka tombstones are not meshlake events; deletes are envelopes with is_tombstone)");
    }
    FacsimileRecord record;
    try {
      // The record's value array is the sink's alone: the entity payload is read in place.
      record = decoder.decodeSharing(value).message();
    } catch (WireFormatException e) {
      throw new BadRecordException("undecodable envelope: " + e.getMessage(), e);
    }
    EntityManifest manifest = catalog.byEntityType(record.getEntityType()).orElseThrow(() ->
        new BadRecordException("unknown entity_type " + record.getEntityType()));
    String ari = record.getResourceAri().getValue();
    if (ari.isEmpty()) {
      throw new BadRecordException("missing resource_ari");
    }
    String workspace = ResourceAris.workspaceOf(record.getWorkspaceId().getValue());
    if (workspace == null) {
      throw new BadRecordException("missing or malformed workspace_id '" + record.getWorkspaceId().getValue() + "'");
    }
    if (record.getVersion() < 0 || record.getGenerationWatermark() < 0) {
      throw new BadRecordException("negative version or generation_watermark");
    }
    RawTableLayout raw = rawLayouts.get(manifest.entityType());
    if (raw != null && record.getPayloadCase() == FacsimileRecord.PayloadCase.ENTITY
        && ContractTypes.isTypeUrlOf(record.getEntity().getTypeUrl(), manifest.entity())) {
      Object[] columns = raw.readEntity(record.getEntity().getValue());
      if (columns != null) {
        return new SinkEvent(record, manifest, workspace, null, topic, partition, offset, timestamp, columns);
      }
    }
    Message entity;
    try {
      entity = resolver.resolve(record);
    } catch (PayloadResolutionException e) {
      throw new BadRecordException(e.getMessage(), e);
    }
    if (entity == null && !record.getIsTombstone()) {
      throw new BadRecordException("a non-tombstone event without a payload");
    }
    if (entity != null && !entity.getDescriptorForType().getFullName().equals(manifest.entity())) {
      throw new BadRecordException("payload is " + entity.getDescriptorForType().getFullName() + " but entity_type "
          + manifest.entityType() + " is " + manifest.entity());
    }
    if (raw != null && entity != null) {
      Object[] columns;
      try {
        columns = raw.flattenEntity(entity);
      } catch (RuntimeException e) {
        // e.g. a timestamp beyond the raw table's microseconds
        throw new BadRecordException("entity does not fit " + RawTableLayout.tableName(manifest) + ": " + e.getMessage(), e);
      }
      return new SinkEvent(record, manifest, workspace, null, topic, partition, offset, timestamp, columns);
    }
    return new SinkEvent(record, manifest, workspace, entity, topic, partition, offset, timestamp);
  }

}
