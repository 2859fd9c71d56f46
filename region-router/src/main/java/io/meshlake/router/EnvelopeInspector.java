package io.meshlake.router;

import com.google.protobuf.InvalidProtocolBufferException;
import io.meshlake.contracts.ResourceAris;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.wire.ConfluentFrame;
import io.meshlake.contracts.wire.MessageIndexes;
import io.meshlake.contracts.wire.WireFormatException;
import java.nio.charset.StandardCharsets;

/**
 * Finds the workspace an ingress event belongs to, from the event itself: the envelope's
 * {@code workspace_id}, cross-checked against the workspace named in the record key (the resource
 * ARI). No schema registry is needed: the frame is stripped and the bytes parsed as the envelope,
 * whose field numbers never change.
 */
final class EnvelopeInspector {

  /** Where FacsimileRecord sits in facsimile.proto, as the frame's message indexes say it. */
  private static final MessageIndexes ENVELOPE_INDEXES = MessageIndexes.of(FacsimileRecord.getDescriptor());

  /** The outcome: a workspace, or the reason the event cannot be routed. */
  sealed interface Verdict permits Routable, Rejected {}

  record Routable(String workspace) implements Verdict {}

  record Rejected(DlqReason reason, String message) implements Verdict {}

  private EnvelopeInspector() {}

  static Verdict inspect(byte[] key, byte[] value) {
    ConfluentFrame frame;
    try {
      frame = ConfluentFrame.decode(value);
    } catch (WireFormatException e) {
      return new Rejected(DlqReason.INVALID_FRAME, e.getMessage());
    }
    if (!frame.messageIndexes().equals(ENVELOPE_INDEXES)) {
      return new Rejected(DlqReason.INVALID_ENVELOPE, "message indexes " + frame.messageIndexes()
          + " do not name FacsimileRecord " + ENVELOPE_INDEXES + " of meshlake/facsimile/v1/facsimile.proto");
    }
    FacsimileRecord envelope;
    try {
      envelope = FacsimileRecord.parseFrom(frame.payload().duplicate());
    } catch (InvalidProtocolBufferException e) {
      return new Rejected(DlqReason.INVALID_ENVELOPE, "not a FacsimileRecord: " + e.getMessage());
    }
    String workspaceAri = envelope.hasWorkspaceId() ? envelope.getWorkspaceId().getValue() : null;
    String workspace = ResourceAris.workspaceOf(workspaceAri);
    if (workspace == null) {
      return new Rejected(DlqReason.MISSING_WORKSPACE, workspaceAri == null || workspaceAri.isEmpty()
          ? "the envelope has no workspace_id"
          : "workspace_id '" + workspaceAri + "' is not a workspace ARI ari:cloud:platform::workspace/<workspace>");
    }
    String resourceAri = key == null ? null : new String(key, StandardCharsets.UTF_8);
    String keyWorkspace = ResourceAris.workspaceOfResource(resourceAri);
    if (keyWorkspace == null) {
      return new Rejected(DlqReason.INVALID_KEY, resourceAri == null
          ? "the record has no key (it must be the resource ARI)"
          : "the key '" + resourceAri + "' is not a resource ARI ari:cloud:<domain>:<workspace>:<kind>/<id>");
    }
    if (!keyWorkspace.equals(workspace)) {
      return new Rejected(DlqReason.WORKSPACE_MISMATCH, "the key '" + resourceAri + "' names workspace '"
          + keyWorkspace + "' but the envelope's workspace_id names '" + workspace + "'");
    }
    return new Routable(workspace);
  }
}
