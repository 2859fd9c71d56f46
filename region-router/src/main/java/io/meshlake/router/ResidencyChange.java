package io.meshlake.router;

import java.time.Instant;
import java.util.Objects;

/**
 * A change of a workspace's home region, published to {@code control.residency-changes} for the
 * migration job: {@code fromRegion} is null for a first assignment. Events routed before the change
 * stay where they are; moving them is the migration job's work.
 */
public record ResidencyChange(String workspace, String fromRegion, String toRegion, long epoch, Instant changedAt) {

  public ResidencyChange {
    Objects.requireNonNull(workspace, "workspace");
    Objects.requireNonNull(toRegion, "toRegion");
    Objects.requireNonNull(changedAt, "changedAt");
  }
}
