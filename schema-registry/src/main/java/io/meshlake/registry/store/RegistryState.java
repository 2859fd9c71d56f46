package io.meshlake.registry.store;

import io.meshlake.registry.SchemaReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The registry's state as a deterministic function of the {@code _schemas} log: every instance
 * applies the same records in the same order and so holds the same subjects, versions and ids.
 *
 * <p>A registration proposal wins only if, when it is applied:
 * <ol>
 *   <li>no registration or hard delete of its subject was applied at or after its {@code basis}
 *       offset (optimistic concurrency: the proposer's compatibility check and version number were
 *       decided on exactly the state the subject still has);
 *   <li>its version is the subject's highest version (soft-deleted ones included) plus one;
 *   <li>its id is unused or already names the same schema, and its schema has no other id.
 * </ol>
 * Otherwise it is ignored and its proposer, which learns the outcome from its own applier, retries.
 * These rules only look at registration and hard-delete records, whose keys are unique and which
 * are never tombstoned, so compaction (which drops only superseded config values) cannot change any
 * outcome: a restarted instance replaying the compacted log reaches the same state. Ids are never
 * reused: the id → schema binding stays after a hard delete, so re-registering the same schema gets
 * its old id back and no other schema can take it.
 */
public final class RegistryState {

  /** The content behind a global id. */
  public record SchemaContent(
      int id, String fingerprint, String schemaType, String schema, List<SchemaReference> references) {}

  /** One version of a subject that was not hard-deleted. */
  public record Version(String registration, String subject, int version, int id, boolean softDeleted) {}

  /** What applying one record did: for a registration, whether it won; for a delete, which versions. */
  public record Outcome(boolean applied, List<Integer> versions, String reason) {
    static Outcome won() {
      return new Outcome(true, List.of(), "");
    }

    static Outcome lost(String reason) {
      return new Outcome(false, List.of(), reason);
    }
  }

  private static final class SubjectState {
    final TreeMap<Integer, Version> versions = new TreeMap<>();
    /** Offset of the last registration or hard delete applied to this subject; -1: none. */
    long lastChange = -1;
  }

  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Object offsetMonitor = new Object();

  private final TreeMap<String, SubjectState> subjects = new TreeMap<>();
  private final Map<String, Version> byRegistration = new HashMap<>();
  private final Map<Integer, Set<String>> registrationsById = new HashMap<>();
  private final Map<Integer, SchemaContent> contents = new HashMap<>();
  private final Map<String, Integer> idByFingerprint = new HashMap<>();
  private final Map<String, String> subjectLevels = new HashMap<>();
  private String globalLevel;
  private int maxId;
  private volatile long nextOffset;

  /** Applies the record at {@code offset}; records must come in log order. */
  public Outcome apply(long offset, LogRecord record) {
    lock.writeLock().lock();
    try {
      Outcome outcome;
      if (record instanceof LogRecord.Register r) {
        outcome = applyRegister(offset, r);
      } else if (record instanceof LogRecord.SoftDelete d) {
        outcome = applySoftDelete(d);
      } else if (record instanceof LogRecord.HardDelete d) {
        outcome = applyHardDelete(offset, d);
      } else if (record instanceof LogRecord.Config c) {
        if (c.subject() == null) {
          globalLevel = c.level();
        } else if (c.level() == null) {
          subjectLevels.remove(c.subject());
        } else {
          subjectLevels.put(c.subject(), c.level());
        }
        outcome = Outcome.won();
      } else {
        outcome = Outcome.lost("not a registry record");
      }
      advanceLocked(offset + 1);
      return outcome;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Records that the log has been read up to (excluding) {@code offset}, records or not. */
  public void advanceTo(long offset) {
    lock.writeLock().lock();
    try {
      advanceLocked(offset);
    } finally {
      lock.writeLock().unlock();
    }
  }

  private void advanceLocked(long offset) {
    if (offset > nextOffset) {
      nextOffset = offset;
      synchronized (offsetMonitor) {
        offsetMonitor.notifyAll();
      }
    }
  }

  /** Waits until every record below {@code offset} is applied; false if the deadline passed first. */
  public boolean awaitOffset(long offset, long deadlineNanos) throws InterruptedException {
    synchronized (offsetMonitor) {
      while (nextOffset < offset) {
        long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
        if (remainingMillis <= 0) {
          return false;
        }
        offsetMonitor.wait(remainingMillis);
      }
      return true;
    }
  }

  private Outcome applyRegister(long offset, LogRecord.Register r) {
    SubjectState subject = subjects.get(r.subject());
    long lastChange = subject == null ? -1 : subject.lastChange;
    int maxVersion = subject == null || subject.versions.isEmpty() ? 0 : subject.versions.lastKey();
    if (lastChange >= r.basis()) {
      return Outcome.lost("subject '" + r.subject() + "' changed at offset " + lastChange
          + ", after the proposal's basis " + r.basis());
    }
    if (r.version() != maxVersion + 1) {
      return Outcome.lost("version " + r.version() + " is not the next version " + (maxVersion + 1));
    }
    if (r.id() <= 0) {
      return Outcome.lost("id " + r.id() + " is not positive");
    }
    SchemaContent existing = contents.get(r.id());
    if (existing != null && !existing.fingerprint().equals(r.fingerprint())) {
      return Outcome.lost("id " + r.id() + " belongs to another schema");
    }
    Integer knownId = idByFingerprint.get(r.fingerprint());
    if (knownId != null && knownId != r.id()) {
      return Outcome.lost("the schema already has id " + knownId);
    }
    if (existing == null) {
      contents.put(r.id(), new SchemaContent(r.id(), r.fingerprint(), r.schemaType(), r.schema(), r.references()));
      idByFingerprint.put(r.fingerprint(), r.id());
      maxId = Math.max(maxId, r.id());
    }
    if (subject == null) {
      subject = new SubjectState();
      subjects.put(r.subject(), subject);
    }
    Version version = new Version(r.proposal(), r.subject(), r.version(), r.id(), false);
    subject.versions.put(r.version(), version);
    subject.lastChange = offset;
    byRegistration.put(r.proposal(), version);
    registrationsById.computeIfAbsent(r.id(), k -> new LinkedHashSet<>()).add(r.proposal());
    return Outcome.won();
  }

  private Outcome applySoftDelete(LogRecord.SoftDelete d) {
    List<Integer> deleted = new ArrayList<>();
    for (LogRecord.Target target : d.targets()) {
      Version version = target(d.subject(), target);
      if (version != null && !version.softDeleted()) {
        Version soft = new Version(version.registration(), version.subject(), version.version(), version.id(), true);
        subjects.get(d.subject()).versions.put(version.version(), soft);
        byRegistration.put(version.registration(), soft);
        deleted.add(version.version());
      }
    }
    return new Outcome(!deleted.isEmpty(), List.copyOf(deleted), deleted.isEmpty() ? "nothing left to delete" : "");
  }

  private Outcome applyHardDelete(long offset, LogRecord.HardDelete d) {
    List<Integer> deleted = new ArrayList<>();
    for (LogRecord.Target target : d.targets()) {
      Version version = target(d.subject(), target);
      if (version != null && version.softDeleted()) {
        SubjectState subject = subjects.get(d.subject());
        subject.versions.remove(version.version());
        subject.lastChange = offset;
        byRegistration.remove(version.registration());
        Set<String> registrations = registrationsById.get(version.id());
        registrations.remove(version.registration());
        if (registrations.isEmpty()) {
          registrationsById.remove(version.id());
        }
        deleted.add(version.version());
      }
    }
    return new Outcome(!deleted.isEmpty(), List.copyOf(deleted), deleted.isEmpty() ? "nothing left to delete" : "");
  }

  private Version target(String subject, LogRecord.Target target) {
    Version version = byRegistration.get(target.registration());
    return version != null && version.subject().equals(subject) && version.version() == target.version()
        ? version
        : null;
  }

  // ---- reads; each takes the read lock, read(...) holds it across several ----

  /** Runs {@code reads} on one consistent state (no record is applied meanwhile). */
  public <T> T read(Supplier<T> reads) {
    lock.readLock().lock();
    try {
      return reads.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The offset of the next record to apply: every record below it is reflected in this state. */
  public long nextOffset() {
    return nextOffset;
  }

  /** Subjects with at least one live version, or also those whose versions are all soft-deleted. */
  public List<String> subjects(boolean includeSoftDeleted) {
    return read(() -> {
      List<String> names = new ArrayList<>();
      subjects.forEach((name, state) -> {
        if (state.versions.values().stream().anyMatch(v -> includeSoftDeleted || !v.softDeleted())) {
          names.add(name);
        }
      });
      return names;
    });
  }

  /** Versions of the subject in ascending order; hard-deleted ones never. */
  public List<Version> versions(String subject, boolean includeSoftDeleted) {
    return read(() -> {
      SubjectState state = subjects.get(subject);
      if (state == null) {
        return List.of();
      }
      return state.versions.values().stream().filter(v -> includeSoftDeleted || !v.softDeleted()).toList();
    });
  }

  public Optional<Version> version(String subject, int version) {
    return read(() -> {
      SubjectState state = subjects.get(subject);
      return Optional.ofNullable(state == null ? null : state.versions.get(version));
    });
  }

  /** The highest version number of the subject, soft-deleted versions included; 0 if none. */
  public int maxVersion(String subject) {
    return read(() -> {
      SubjectState state = subjects.get(subject);
      return state == null || state.versions.isEmpty() ? 0 : state.versions.lastKey();
    });
  }

  /** The content of an id, even if every version using it was hard-deleted (see {@link #idInUse}). */
  public Optional<SchemaContent> content(int id) {
    return read(() -> Optional.ofNullable(contents.get(id)));
  }

  /** True while some version (possibly soft-deleted) still uses the id. */
  public boolean idInUse(int id) {
    return read(() -> registrationsById.containsKey(id));
  }

  /** The (subject, version)s using the id, by subject then version. */
  public List<Version> versionsOfId(int id, boolean includeSoftDeleted) {
    return read(() -> sorted(registrationsById.getOrDefault(id, Set.of()).stream()
        .map(byRegistration::get)
        .filter(v -> includeSoftDeleted || !v.softDeleted())
        .toList()));
  }

  public Optional<Integer> idOf(String fingerprint) {
    return read(() -> Optional.ofNullable(idByFingerprint.get(fingerprint)));
  }

  /** The highest id ever assigned (ids are never reused); 0 if none. */
  public int maxId() {
    return read(() -> maxId);
  }

  /** The subject's own level, or the global level when {@code subject} is null; empty if unset. */
  public Optional<String> level(String subject) {
    return read(() -> Optional.ofNullable(subject == null ? globalLevel : subjectLevels.get(subject)));
  }

  /** Versions (not hard-deleted) whose schema references {@code subject}/{@code version}. */
  public List<Version> referencedBy(String subject, int version) {
    return read(() -> sorted(byRegistration.values().stream()
        .filter(v -> contents.get(v.id()).references().stream()
            .anyMatch(ref -> ref.subject().equals(subject) && ref.version() == version))
        .toList()));
  }

  /** Counts for the metrics endpoint. */
  public Map<String, Long> counts() {
    return read(() -> Map.of(
        "subjects", (long) subjects(false).size(),
        "versions", (long) byRegistration.size(),
        "schemas", (long) registrationsById.size(),
        "max_id", (long) maxId,
        "log_offset", nextOffset));
  }

  private static List<Version> sorted(Collection<Version> versions) {
    return versions.stream()
        .sorted(Comparator.comparing(Version::subject).thenComparingInt(Version::version))
        .toList();
  }
}
