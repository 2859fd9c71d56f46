package io.meshlake.streams;

import io.meshlake.contracts.manifest.EntityManifest;

/** A valid envelope, reduced to what last-write-wins and fan-out need. */
record EntityEvent(String resourceAri, EntityManifest manifest, EventOrder order, boolean tombstone) {}
