package io.meshlake.router;

import java.time.Instant;
import java.util.Objects;

/**
 * A workspace's home region, as kept in the compacted topic {@code control.workspace-residency}
 * (key: the workspace id). The epoch increases by one with every change; a reader keeps the record
 * with the highest epoch, so a late, older write can never move a workspace back.
 */
public record ResidencyRecord(String workspace, String region, long epoch, Instant changedAt) {

  public ResidencyRecord {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(changedAt, "changedAt");
  }

  /** Whether this record replaces {@code current} (null: none yet): only a strictly higher epoch does. */
  public boolean supersedes(ResidencyRecord current) {
    return current == null || epoch > current.epoch;
  }
}
