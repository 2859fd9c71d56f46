package io.meshlake.registry;

import io.meshlake.contracts.compat.BreakingChange;
import io.meshlake.registry.schema.ProtobufSchemas;
import io.meshlake.registry.store.LogRecord;
import io.meshlake.registry.store.RegistryState;
import io.meshlake.registry.store.RegistryState.SchemaContent;
import io.meshlake.registry.store.RegistryState.Version;
import io.meshlake.registry.store.SchemaLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's operations, in Confluent's terms, on top of the replicated {@link RegistryState}.
 * Reads answer from this instance's state; writes go through {@link SchemaLog#propose} and are
 * retried when a concurrent writer (here or in another instance) wins the same slot.
 */
public final class SchemaRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
  public static final String PROTOBUF = "PROTOBUF";

  /** The body of register, lookup and compatibility requests. */
  public record SchemaRequest(String schemaType, String schema, List<SchemaReference> references) {
    public SchemaRequest {
      references = references == null ? List.of() : List.copyOf(references);
    }
  }

  /** One version of a subject, as the API shows it. */
  public record SubjectVersion(
      String subject, int version, int id, String schemaType, String schema, List<SchemaReference> references) {}

  /** The answer of a compatibility check; {@code messages} explain each breaking change. */
  public record CompatibilityResult(boolean compatible, List<String> messages) {}

  private final RegistryConfig config;
  private final RegistryState state;
  private final SchemaLog log;
  private final ProtobufSchemas schemas = new ProtobufSchemas();
  private final RegistryMetrics metrics;
  /** One writer per instance at a time: concurrent writers here would only lose to each other. */
  private final ReentrantLock writeLock = new ReentrantLock(true);

  public SchemaRegistry(RegistryConfig config, RegistryState state, SchemaLog log, RegistryMetrics metrics) {
    this.config = config;
    this.state = state;
    this.log = log;
    this.metrics = metrics;
  }

  // ---------------------------------------------------------------- registration

  /** Registers the schema under the subject, or finds it there; returns its global id. */
  public int register(String subject, SchemaRequest request) {
    requireSubject(subject);
    requireProtobuf(request);
    long deadline = deadline();
    return underWriteLock(deadline, () -> {
      for (int attempt = 1; ; attempt++) {
        log.catchUp(deadline);
        Registration decision = decideRegistration(subject, request);
        if (decision.existingId() != null) {
          metrics.registrationsExisting.increment();
          return decision.existingId();
        }
        LogRecord.Register proposal = decision.proposal();
        RegistryState.Outcome outcome = log.propose(proposal, deadline);
        if (outcome.applied()) {
          metrics.registrations.increment();
          LOG.info("registered subject '{}' version {} as schema id {}{}", subject, proposal.version(), proposal.id(),
              proposal.references().isEmpty() ? "" : " with references " + proposal.references());
          return proposal.id();
        }
        metrics.proposalsLost.increment();
        LOG.debug("registration of subject '{}' version {} id {} lost ({}); deciding again", subject,
            proposal.version(), proposal.id(), outcome.reason());
        backOff(attempt, deadline, "register a schema under subject '" + subject + "'");
      }
    });
  }

  private record Registration(Integer existingId, LogRecord.Register proposal) {}

  /** What this instance would write for the registration, decided on one consistent state. */
  private Registration decideRegistration(String subject, SchemaRequest request) {
    // Gather everything under one read lock: basis must describe exactly the state decided on.
    record Snapshot(long basis, Map<String, String> imports, List<Candidate> live, int maxVersion, int maxId,
        CompatibilityLevel level) {}
    Snapshot snapshot = state.read(() -> new Snapshot(
        state.nextOffset(),
        resolveImports(request.references()),
        candidates(state.versions(subject, false)),
        state.maxVersion(subject),
        state.maxId(),
        level(subject)));
    ProtobufSchemas.Parsed parsed = schemas.parse(request.schema(), request.references(), snapshot.imports());
    for (Candidate candidate : snapshot.live()) {
      if (candidate.content().fingerprint().equals(parsed.fingerprint())) {
        return new Registration(candidate.version().id(), null);
      }
    }
    List<String> problems = incompatibilities(snapshot.level(), snapshot.live(), parsed);
    if (!problems.isEmpty()) {
      throw new RegistryException(409, "Schema being registered is incompatible with an earlier schema for subject \""
          + subject + "\", details: [" + String.join("; ", problems) + "] (compatibility level "
          + snapshot.level() + ")");
    }
    int id = state.idOf(parsed.fingerprint()).orElse(snapshot.maxId() + 1);
    return new Registration(null, new LogRecord.Register(
        UUID.randomUUID().toString(), subject, snapshot.maxVersion() + 1, id, parsed.fingerprint(), PROTOBUF,
        request.schema(), request.references(), snapshot.basis()));
  }

  /** A live version with its content and resolved imports, to be parsed outside the lock. */
  private record Candidate(Version version, SchemaContent content, Map<String, String> imports) {}

  private List<Candidate> candidates(List<Version> versions) {
    List<Candidate> out = new ArrayList<>();
    for (Version v : versions) {
      SchemaContent content = state.content(v.id()).orElseThrow();
      Map<String, String> imports;
      try {
        imports = resolveImports(content.references());
      } catch (RegistryException e) {
        imports = null; // a referenced version vanished: this version can no longer be compared
      }
      out.add(new Candidate(v, content, imports));
    }
    return out;
  }

  /**
   * Maps the level onto the expand-contract checker. Its rules already protect both sides (readers
   * of older data and older readers of new data) and it is directional: check(older, newer) accepts
   * additions and rejects removals of unreserved fields, whereas check(newer, older) would call an
   * added field a removal. So every level compares in history order, earlier version → new schema;
   * BACKWARD, FORWARD and FULL differ only in name, and the _TRANSITIVE levels compare with every
   * live earlier version instead of only the latest. NONE compares nothing.
   */
  private List<String> incompatibilities(CompatibilityLevel level, List<Candidate> live, ProtobufSchemas.Parsed next) {
    if (level == CompatibilityLevel.NONE || live.isEmpty()) {
      return List.of();
    }
    List<Candidate> against = level.transitive() ? live : List.of(live.get(live.size() - 1));
    List<String> problems = new ArrayList<>();
    for (Candidate earlier : against) {
      problems.addAll(compare(earlier, next));
    }
    return problems;
  }

  private List<String> compare(Candidate earlier, ProtobufSchemas.Parsed next) {
    Version v = earlier.version();
    if (earlier.imports() == null) {
      LOG.warn("subject '{}' version {} imports a version that no longer exists; not compared", v.subject(), v.version());
      return List.of();
    }
    ProtobufSchemas.Parsed previous;
    try {
      previous = schemas.parse(earlier.content().schema(), earlier.content().references(), earlier.imports());
    } catch (RegistryException e) {
      LOG.warn("subject '{}' version {} no longer parses, not compared: {}", v.subject(), v.version(), e.getMessage());
      return List.of();
    }
    List<String> problems = new ArrayList<>();
    for (BreakingChange change : schemas.breakingChanges(previous, next)) {
      problems.add("version " + v.version() + ": " + change.toLine());
    }
    return problems;
  }

  /** The import path → text of every file the references bring in, transitively. */
  private Map<String, String> resolveImports(List<SchemaReference> references) {
    Map<String, String> files = new TreeMap<>();
    Map<String, SchemaReference> origin = new LinkedHashMap<>();
    Deque<SchemaReference> todo = new ArrayDeque<>(references);
    Set<SchemaReference> seen = new HashSet<>();
    while (!todo.isEmpty()) {
      SchemaReference ref = todo.poll();
      if (!seen.add(ref)) {
        continue;
      }
      if (ref.name() == null || ref.name().isBlank() || ref.subject() == null || ref.subject().isBlank()) {
        throw RegistryException.invalidSchema("Invalid schema: a reference needs a name (the import path), a subject"
            + " and a version; got " + ref);
      }
      if (ref.version() < 1) {
        throw RegistryException.invalidSchema("Invalid schema: reference '" + ref.name() + "' has version "
            + ref.version() + "; give the registered version number (1 or more)");
      }
      Version target = state.version(ref.subject(), ref.version()).orElseThrow(() -> RegistryException.invalidSchema(
          "Invalid schema: reference '" + ref.name() + "' points at subject '" + ref.subject() + "' version "
              + ref.version() + ", which is not registered"));
      SchemaContent content = state.content(target.id()).orElseThrow();
      String known = files.putIfAbsent(ref.name(), content.schema());
      if (known != null && !known.equals(content.schema())) {
        throw RegistryException.invalidSchema("Invalid schema: import '" + ref.name() + "' is referenced as both "
            + origin.get(ref.name()) + " and " + ref + ", which hold different files");
      }
      origin.putIfAbsent(ref.name(), ref);
      todo.addAll(content.references());
    }
    return files;
  }

  // ---------------------------------------------------------------- reads

  /** Is this schema registered under the subject? (Confluent's {@code POST /subjects/{subject}}.) */
  public SubjectVersion lookup(String subject, SchemaRequest request, boolean includeDeleted) {
    requireProtobuf(request);
    metrics.lookups.increment();
    record Snapshot(Map<String, String> imports, List<Version> versions) {}
    Snapshot snapshot = state.read(() -> new Snapshot(
        resolveImports(request.references()), state.versions(subject, includeDeleted)));
    if (snapshot.versions().isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    ProtobufSchemas.Parsed parsed = schemas.parse(request.schema(), request.references(), snapshot.imports());
    // The newest live version holding it, else the newest soft-deleted one (with deleted=true).
    Version best = null;
    for (Version v : snapshot.versions()) {
      boolean same = state.content(v.id()).orElseThrow().fingerprint().equals(parsed.fingerprint());
      if (same && (best == null || !v.softDeleted() || best.softDeleted())) {
        best = v;
      }
    }
    if (best == null) {
      throw RegistryException.schemaNotFound();
    }
    return view(best);
  }

  public List<String> subjects(boolean includeDeleted, String prefix) {
    return state.subjects(includeDeleted).stream()
        .filter(s -> prefix == null || s.startsWith(prefix))
        .toList();
  }

  public List<Integer> versions(String subject, boolean includeDeleted) {
    List<Version> versions = state.versions(subject, includeDeleted);
    if (versions.isEmpty()) {
      throw RegistryException.subjectNotFound(subject);
    }
    return versions.stream().map(Version::version).toList();
  }

  public SubjectVersion version(String subject, String versionText, boolean includeDeleted) {
    metrics.lookups.increment();
    return view(find(subject, parseVersion(versionText), includeDeleted));
  }

  /** The content of a schema id, while some version (possibly soft-deleted) still uses it. */
  public SchemaContent schemaById(int id) {
    metrics.lookups.increment();
    return state.read(() -> {
      if (!state.idInUse(id)) {
        throw RegistryException.schemaIdNotFound(id);
      }
      return state.content(id).orElseThrow();
    });
  }

  public List<SubjectVersion> versionsOfId(int id, boolean includeDeleted) {
    List<Version> versions = state.read(() -> {
      if (!state.idInUse(id)) {
        throw RegistryException.schemaIdNotFound(id);
      }
      return state.versionsOfId(id, includeDeleted);
    });
    return versions.stream().map(this::view).toList();
  }

  /** Ids of live schemas that import the given version. */
  public List<Integer> referencedBy(String subject, String versionText) {
    Version target = find(subject, parseVersion(versionText), false);
    return state.referencedBy(target.subject(), target.version()).stream()
        .filter(v -> !v.softDeleted())
        .map(Version::id)
        .distinct()
        .sorted()
        .toList();
  }

  private SubjectVersion view(Version v) {
    SchemaContent content = state.content(v.id()).orElseThrow();
    return new SubjectVersion(v.subject(), v.version(), v.id(), content.schemaType(), content.schema(),
        content.references());
  }

  /** "latest"/-1 → {@code null}; 1..2^31-1 → the number; anything else → 42202. */
  static Integer parseVersion(String text) {
    if (text == null) {
      throw RegistryException.invalidVersion("null");
    }
    if (text.equals("latest") || text.equals("-1")) {
      return null;
    }
    try {
      int version = Integer.parseInt(text);
      if (version >= 1) {
        return version;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw RegistryException.invalidVersion(text);
  }

  /** The version (null: the latest) of a subject; 40401 if the subject has none, 40402 if not this one. */
  private Version find(String subject, Integer version, boolean includeDeleted) {
    return state.read(() -> {
      List<Version> versions = state.versions(subject, includeDeleted);
      if (versions.isEmpty()) {
        throw RegistryException.subjectNotFound(subject);
      }
      if (version == null) {
        return versions.get(versions.size() - 1);
      }
      return versions.stream().filter(v -> v.version() == version).findFirst()
          .orElseThrow(() -> RegistryException.versionNotFound(version));
    });
  }

  // ---------------------------------------------------------------- compatibility

  /**
   * Would the schema be accepted by the subject's level? With {@code versionText} null it is checked
   * as registration would check it (latest, or every live version for _TRANSITIVE levels);
   * otherwise against that one version. An empty subject accepts anything at "latest".
   */
  public CompatibilityResult checkCompatibility(String subject, String versionText, SchemaRequest request) {
    requireProtobuf(request);
    metrics.compatibilityChecks.increment();
    Integer version = versionText == null ? null : parseVersion(versionText);
    record Snapshot(Map<String, String> imports, List<Candidate> against, CompatibilityLevel level) {}
    Snapshot snapshot = state.read(() -> {
      List<Version> live = state.versions(subject, false);
      List<Version> against;
      if (versionText == null) {
        against = live;
      } else if (version == null) {
        against = live.isEmpty() ? List.of() : List.of(live.get(live.size() - 1));
      } else {
        against = List.of(find(subject, version, false));
      }
      return new Snapshot(resolveImports(request.references()), candidates(against), level(subject));
    });
    ProtobufSchemas.Parsed parsed = schemas.parse(request.schema(), request.references(), snapshot.imports());
    CompatibilityLevel level = snapshot.level();
    List<String> problems;
    if (versionText == null) {
      problems = incompatibilities(level, snapshot.against(), parsed);
    } else if (level == CompatibilityLevel.NONE) {
      problems = List.of();
    } else {
      problems = new ArrayList<>();
      for (Candidate candidate : snapshot.against()) {
        problems.addAll(compare(candidate, parsed));
      }
    }
    return new CompatibilityResult(problems.isEmpty(), problems);
  }

  // ---------------------------------------------------------------- config

  /** The subject's own level, else the global level, else the configured default. */
  private CompatibilityLevel level(String subject) {
    return state.read(() -> state.level(subject).or(() -> state.level(null))
        .map(CompatibilityLevel::parse)
        .orElse(config.defaultCompatibility()));
  }

  public CompatibilityLevel globalLevel() {
    return state.level(null).map(CompatibilityLevel::parse).orElse(config.defaultCompatibility());
  }

  public Optional<CompatibilityLevel> subjectLevel(String subject) {
    return state.level(subject).map(CompatibilityLevel::parse);
  }

  /** Sets the level of a subject (null: the global level). */
  public CompatibilityLevel setLevel(String subject, String levelText) {
    CompatibilityLevel level = CompatibilityLevel.parse(levelText);
    log.write(new LogRecord.Config(subject, level.name()), deadline());
    metrics.configChanges.increment();
    LOG.info("compatibility level of {} set to {}", subject == null ? "the registry" : "subject '" + subject + "'", level);
    return level;
  }

  /** Removes the subject's own level (null: the global one); returns the level it had. */
  public CompatibilityLevel deleteLevel(String subject) {
    CompatibilityLevel previous = subject == null ? globalLevel()
        : subjectLevel(subject).orElseThrow(() -> RegistryException.subjectConfigNotFound(subject));
    log.write(new LogRecord.Config(subject, null), deadline());
    metrics.configChanges.increment();
    LOG.info("compatibility level of {} removed (was {})", subject == null ? "the registry" : "subject '" + subject + "'",
        previous);
    return previous;
  }

  // ---------------------------------------------------------------- deletes

  /** Soft-deletes every live version, or hard-deletes every soft-deleted one; returns the versions. */
  public List<Integer> deleteSubject(String subject, boolean permanent) {
    long deadline = deadline();
    return underWriteLock(deadline, () -> {
      for (int attempt = 1; ; attempt++) {
        log.catchUp(deadline);
        List<Version> all = state.versions(subject, true);
        if (all.isEmpty()) {
          throw RegistryException.subjectNotFound(subject);
        }
        List<Version> live = all.stream().filter(v -> !v.softDeleted()).toList();
        List<Version> targets;
        if (!permanent) {
          if (live.isEmpty()) {
            throw RegistryException.subjectSoftDeleted(subject);
          }
          targets = live;
        } else {
          if (!live.isEmpty()) {
            throw RegistryException.subjectNotSoftDeleted(subject);
          }
          targets = all;
        }
        for (Version v : targets) {
          requireUnreferenced(v, permanent);
        }
        List<Integer> deleted = delete(subject, targets, permanent, deadline);
        if (!deleted.isEmpty()) {
          return deleted;
        }
        backOff(attempt, deadline, "delete subject '" + subject + "'");
      }
    });
  }

  /** Soft- or hard-deletes one version ("latest" allowed); returns its number. */
  public int deleteVersion(String subject, String versionText, boolean permanent) {
    Integer requested = parseVersion(versionText);
    long deadline = deadline();
    return underWriteLock(deadline, () -> {
      for (int attempt = 1; ; attempt++) {
        log.catchUp(deadline);
        // A permanent delete of "latest" means the newest version, soft-deleted or not.
        Version target = find(subject, requested, permanent || requested != null);
        if (!permanent && target.softDeleted()) {
          throw RegistryException.versionSoftDeleted(subject, target.version());
        }
        if (permanent && !target.softDeleted()) {
          throw RegistryException.versionNotSoftDeleted(subject, target.version());
        }
        requireUnreferenced(target, permanent);
        List<Integer> deleted = delete(subject, List.of(target), permanent, deadline);
        if (!deleted.isEmpty()) {
          return deleted.get(0);
        }
        backOff(attempt, deadline, "delete subject '" + subject + "' version " + target.version());
      }
    });
  }

  private List<Integer> delete(String subject, List<Version> targets, boolean permanent, long deadline) {
    List<LogRecord.Target> recordTargets = targets.stream()
        .map(v -> new LogRecord.Target(v.version(), v.registration())).toList();
    String proposal = UUID.randomUUID().toString();
    LogRecord record = permanent
        ? new LogRecord.HardDelete(proposal, subject, recordTargets)
        : new LogRecord.SoftDelete(proposal, subject, recordTargets);
    RegistryState.Outcome outcome = log.propose(record, deadline);
    if (outcome.applied()) {
      metrics.deletes.increment();
      LOG.info("{} subject '{}' versions {}", permanent ? "permanently deleted" : "soft-deleted", subject,
          outcome.versions());
    } else {
      metrics.proposalsLost.increment();
    }
    return outcome.versions();
  }

  /**
   * Confluent refuses to delete a version another schema imports: a soft delete while a live schema
   * imports it, a hard delete while any remaining (even soft-deleted) schema does.
   */
  private void requireUnreferenced(Version v, boolean permanent) {
    boolean referenced = state.referencedBy(v.subject(), v.version()).stream()
        .anyMatch(referrer -> permanent || !referrer.softDeleted());
    if (referenced) {
      throw RegistryException.referenceExists(v.subject(), v.version());
    }
  }

  // ---------------------------------------------------------------- plumbing

  private interface Write<T> {
    T run();
  }

  private <T> T underWriteLock(long deadline, Write<T> write) {
    try {
      if (!writeLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw RegistryException.storeError("Error while writing: other writes of this instance took longer than "
            + config.writeTimeout().toMillis() + " ms (write.timeout.ms)", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.storeError("interrupted", e);
    }
    try {
      return write.run();
    } finally {
      writeLock.unlock();
    }
  }

  /** Waits a little before deciding again, so two losing writers do not collide forever in step. */
  private void backOff(int attempt, long deadline, String what) {
    if (System.nanoTime() >= deadline) {
      throw RegistryException.storeError("Error while trying to " + what + ": concurrent writers kept winning for "
          + config.writeTimeout().toMillis() + " ms (" + attempt + " attempts)", null);
    }
    long maxMillis = Math.min(200, 5L << Math.min(attempt, 5));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(maxMillis + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw RegistryException.storeError("interrupted", e);
    }
  }

  private long deadline() {
    return System.nanoTime() + config.writeTimeout().toNanos();
  }

  private static void requireSubject(String subject) {
    if (subject == null || subject.isBlank()) {
      throw new RegistryException(42208, "The specified subject is not valid: it must not be empty");
    }
  }

  private static void requireProtobuf(SchemaRequest request) {
    if (request.schemaType() == null || request.schemaType().isBlank()) {
      throw RegistryException.invalidSchema("Invalid schema: schemaType is missing, which means AVRO; this registry"
          + " supports only PROTOBUF: send \"schemaType\":\"PROTOBUF\"");
    }
    if (!PROTOBUF.equalsIgnoreCase(request.schemaType())) {
      throw RegistryException.invalidSchema("Invalid schema type " + request.schemaType()
          + ": this registry supports only PROTOBUF");
    }
    if (request.schema() == null || request.schema().isBlank()) {
      throw RegistryException.invalidSchema("Invalid schema: \"schema\" is empty; send the .proto text");
    }
  }
}
