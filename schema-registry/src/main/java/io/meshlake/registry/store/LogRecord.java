package io.meshlake.registry.store;

import io.meshlake.registry.SchemaReference;
import java.util.List;
import java.util.Objects;

/** The records of the {@code _schemas} topic, decoded. {@link LogCodec} maps them to bytes. */
public sealed interface LogRecord {

  /**
   * A proposal to bind {@code schema} (global id {@code id}) to {@code subject}/{@code version}.
   * {@code basis} is the log offset up to which the proposer had applied the log when it decided
   * (every record below it). {@code fingerprint} identifies the schema content plus references; it
   * is computed by the proposer so that replaying the log never depends on the parser's version.
   */
  record Register(
      String proposal,
      String subject,
      int version,
      int id,
      String fingerprint,
      String schemaType,
      String schema,
      List<SchemaReference> references,
      long basis)
      implements LogRecord {
    public Register {
      Objects.requireNonNull(proposal, "proposal");
      Objects.requireNonNull(subject, "subject");
      Objects.requireNonNull(fingerprint, "fingerprint");
      Objects.requireNonNull(schema, "schema");
      references = List.copyOf(references);
    }
  }

  /** One registration a delete targets: its version, and the proposal id that created it. */
  record Target(int version, String registration) {}

  /** Soft-deletes the targeted registrations of {@code subject} that are still live. */
  record SoftDelete(String proposal, String subject, List<Target> targets) implements LogRecord {
    public SoftDelete {
      targets = List.copyOf(targets);
    }
  }

  /** Permanently removes the targeted registrations of {@code subject} that were soft-deleted. */
  record HardDelete(String proposal, String subject, List<Target> targets) implements LogRecord {
    public HardDelete {
      targets = List.copyOf(targets);
    }
  }

  /**
   * The compatibility level of {@code subject} ({@code null}: the global level); a {@code null}
   * level removes it. One key per subject, so compaction keeps only the latest.
   */
  record Config(String subject, String level) implements LogRecord {}
}
