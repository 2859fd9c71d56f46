package io.meshlake.router;

/**
 * Why an ingress event went to {@code ingress.dlq.<domain>} instead of a region: the value of the
 * {@code meshlake.dlq.reason} header and the key of the DLQ counters in {@code /metrics}.
 */
public enum DlqReason {
  /** The value is not a Confluent-framed message (null, too short, wrong magic byte, bad indexes). */
  INVALID_FRAME("invalid_frame"),
  /** The frame holds something other than a parseable {@code FacsimileRecord}. */
  INVALID_ENVELOPE("invalid_envelope"),
  /** The envelope's {@code workspace_id} is absent or not a workspace ARI. */
  MISSING_WORKSPACE("missing_workspace"),
  /** The record key is absent or not a resource ARI, so its workspace cannot be checked. */
  INVALID_KEY("invalid_key"),
  /** The record key (resource ARI) names another workspace than the envelope. */
  WORKSPACE_MISMATCH("workspace_mismatch");

  private final String label;

  DlqReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
