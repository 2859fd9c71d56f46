package io.meshlake.streams;

/**
 * Why an event was dead-lettered. The names are a stable contract: they are written to the
 * {@code meshlake.dlq.reason} header, and operators alert and re-drive by them.
 */
public enum DlqReason {
  /** The value is null (a Kafka tombstone); meshlake deletes with an envelope whose is_tombstone is set. */
  NULL_VALUE,
  /** Not a Confluent frame, a frame of another message type, or bytes that do not parse as protobuf. */
  UNDECODABLE,
  /** The frame names a schema id the registry does not have. */
  UNKNOWN_SCHEMA,
  /** The envelope has no resource_ari. */
  MISSING_RESOURCE_ARI,
  /** The record key is not the envelope's resource ARI, so it would land in another partition than its siblings. */
  KEY_MISMATCH,
  /** No entity manifest declares the entity_type. */
  UNKNOWN_ENTITY_TYPE,
  /** The entity type belongs to another domain than the topic's. */
  WRONG_DOMAIN,
  /** The envelope has no workspace_id. */
  MISSING_WORKSPACE,
  /** workspace_id is not a workspace ARI {@code ari:cloud:platform::workspace/<workspace>}. */
  INVALID_WORKSPACE,
  /** resource_ari is not {@code ari:cloud:<domain>:<workspace>:<kind>/<id>} of the entity type's domain and kind. */
  INVALID_RESOURCE_ARI,
  /** The resource ARI names another workspace than workspace_id. */
  WORKSPACE_MISMATCH,
  /** version is negative. */
  NEGATIVE_VERSION,
  /** generation_watermark is negative. */
  NEGATIVE_GENERATION,
  /** The Any type URL or the offload pointer's type is not the entity type's message. */
  PAYLOAD_TYPE_MISMATCH,
  /** A non-tombstone without entity or offload pointer, or an offload pointer without a URI. */
  MISSING_PAYLOAD
}
