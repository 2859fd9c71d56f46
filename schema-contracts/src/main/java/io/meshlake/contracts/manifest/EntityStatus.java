package io.meshlake.contracts.manifest;

/** Lifecycle of an entity contract: DEPRECATED entities are still ingested but no new consumers should start. */
public enum EntityStatus {
  ACTIVE,
  DEPRECATED
}
