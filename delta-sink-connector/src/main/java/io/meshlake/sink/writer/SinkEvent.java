package io.meshlake.sink.writer;

import com.google.protobuf.Message;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.manifest.EntityManifest;

/**
 * One decoded change event with where it came from.
 *
 * @param entity the resolved payload (offloaded payloads fetched and verified); null for a bare tombstone,
 *     and for an event decoded straight into its raw table's columns
 * @param entityColumns the entity as its raw table's columns (strings as UTF-8 bytes, or slices of the record's value), for an Append sink;
 *     null otherwise
 */
public record SinkEvent(
    FacsimileRecord record,
    EntityManifest manifest,
    String workspace,
    Message entity,
    String topic,
    int partition,
    long offset,
    Long timestamp,
    Object[] entityColumns) {

  public SinkEvent(FacsimileRecord record, EntityManifest manifest, String workspace, Message entity, String topic,
      int partition, long offset, Long timestamp) {
    this(record, manifest, workspace, entity, topic, partition, offset, timestamp, null);
  }

  public long version() {
    return record.getVersion();
  }

  public long generation() {
    return record.getGenerationWatermark();
  }

  public boolean tombstone() {
    return record.getIsTombstone();
  }

  public String resourceAri() {
    return record.getResourceAri().getValue();
  }

  /**
   * This event without the serialized copy of its entity in the envelope, for batches that keep
   * decoded events: a buffered event then holds its payload once. Events written as they arrive
   * skip the copy.
   */
  public SinkEvent withoutSerializedEntity() {
    if (!record.hasEntity()) {
      return this;
    }
    return new SinkEvent(record.toBuilder().clearEntity().build(), manifest, workspace, entity, topic, partition, offset,
        timestamp, entityColumns);
  }

  /** Whether this event is strictly newer than (generation, version): last write wins. */
  public boolean newerThan(long otherGeneration, long otherVersion) {
    return generation() != otherGeneration ? generation() > otherGeneration : version() > otherVersion;
  }
}
