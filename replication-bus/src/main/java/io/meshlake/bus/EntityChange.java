package io.meshlake.bus;

import com.google.protobuf.Message;

/**
 * One change of one entity, as a product service reports it.
 *
 * @param workspace the customer workspace that owns the entity
 * @param entity the entity's state after the change (for a tombstone: at least its primary key)
 * @param version strictly increasing per entity; with {@code generationWatermark} it orders changes
 * @param generationWatermark raised when an entity's history restarts (e.g. a re-import); usually 0
 * @param tombstone the entity was deleted
 */
public record EntityChange(String workspace, Message entity, long version, long generationWatermark, boolean tombstone) {

  public EntityChange {
    if (entity == null) {
      throw new IllegalArgumentException("a change needs the entity (for a tombstone, at least its primary key)");
    }
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative, got " + version);
    }
    if (generationWatermark < 0) {
      throw new IllegalArgumentException("generation watermark must not be negative, got " + generationWatermark);
    }
  }

  public static EntityChange upsert(String workspace, Message entity, long version) {
    return new EntityChange(workspace, entity, version, 0, false);
  }

  public static EntityChange delete(String workspace, Message entityKey, long version) {
    return new EntityChange(workspace, entityKey, version, 0, true);
  }
}
