package io.meshlake.bench;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import java.nio.charset.StandardCharsets;

/**
 * One delivered event of the workload: the envelope to produce and what it is, for progress and tests.
 * {@code duplicate} marks the second delivery of an event (same envelope, delivered again later).
 */
public record WorkloadEvent(Kind kind, long logicalIndex, long issueNumber, int workspaceRank, long version, boolean duplicate,
    FacsimileRecord envelope) {

  /** What a logical event does to its entity. */
  public enum Kind { INSERT, UPDATE, TOMBSTONE }

  public boolean tombstone() {
    return kind == Kind.TOMBSTONE;
  }

  /** The Kafka key: the resource ARI. */
  public String key() {
    return envelope.getResourceAri().getValue();
  }

  public byte[] keyBytes() {
    return key().getBytes(StandardCharsets.UTF_8);
  }

  WorkloadEvent asDuplicate() {
    return new WorkloadEvent(kind, logicalIndex, issueNumber, workspaceRank, version, true, envelope);
  }
}
