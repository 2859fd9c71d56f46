package io.meshlake.sink.writer;

import com.google.protobuf.Message;
import io.meshlake.bus.PayloadResolutionException;
import io.meshlake.bus.PayloadResolver;
import io.meshlake.contracts.ResourceAris;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.wire.ProtobufDecoder;
import io.meshlake.contracts.wire.WireFormatException;

/**
 * Turns a record's value into a {@link SinkEvent}: Confluent-framed envelope checked against the
 * registry, entity type known, workspace and ARI present, payload resolved (offloaded payloads
 * fetched and verified). Anything else is a {@link BadRecordException} whose message is the reason
 * the dead-letter topic records.
 */
public final class EventDecoder {

  private final ProtobufDecoder<FacsimileRecord> decoder;
  private final EntityCatalog catalog;
  private final PayloadResolver resolver;

  public EventDecoder(ProtobufDecoder<FacsimileRecord> decoder, EntityCatalog catalog, PayloadResolver resolver) {
    this.decoder = decoder;
    this.catalog = catalog;
    this.resolver = resolver;
  }

  public SinkEvent decode(byte[] value, String topic, int partition, long offset, Long timestamp) {
    if (value == null) {
      throw new BadRecordException("null value (Kafka tombstones are not meshlake events; deletes are envelopes with is_tombstone)");
    }
    FacsimileRecord record;
    try {
      record = decoder.decode(value).message();
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
    return new SinkEvent(record, manifest, workspace, entity, topic, partition, offset, timestamp);
  }

}
