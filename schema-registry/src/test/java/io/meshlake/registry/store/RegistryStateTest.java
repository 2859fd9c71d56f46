package io.meshlake.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlake.registry.SchemaReference;
import io.meshlake.registry.store.RegistryState.Outcome;
import io.meshlake.registry.store.RegistryState.Version;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The log's state machine: who wins a slot, and why compaction cannot change the answer. */
class RegistryStateTest {

  private static LogRecord.Register register(String subject, int version, int id, String fingerprint, long basis) {
    return new LogRecord.Register(UUID.randomUUID().toString(), subject, version, id, fingerprint, "PROTOBUF",
        "schema " + fingerprint, List.of(), basis);
  }

  @Test
  void theFirstProposalForAVersionWinsAndALaterOneDecidedOnTheSameStateLoses() {
    RegistryState state = new RegistryState();

    Outcome first = state.apply(0, register("s", 1, 1, "A", 0));
    Outcome second = state.apply(1, register("s", 1, 2, "B", 0));

    assertThat(first.applied()).isTrue();
    assertThat(second.applied()).isFalse();
    assertThat(state.versions("s", true)).extracting(Version::id).containsExactly(1);
  }

  @Test
  void aProposalDecidedBeforeTheSubjectChangedLosesEvenIfItsVersionLooksFree() {
    RegistryState state = new RegistryState();
    state.apply(0, register("s", 1, 1, "A", 0));
    Version v1 = state.version("s", 1).orElseThrow();
    state.apply(1, new LogRecord.SoftDelete("d1", "s", List.of(new LogRecord.Target(1, v1.registration()))));
    state.apply(2, new LogRecord.HardDelete("d2", "s", List.of(new LogRecord.Target(1, v1.registration()))));

    // Decided at offset 1 (before the hard delete), it was checked against a version 1 that is gone.
    Outcome stale = state.apply(3, register("s", 1, 2, "B", 1));
    Outcome fresh = state.apply(4, register("s", 1, 2, "B", 4));

    assertThat(stale.applied()).isFalse();
    assertThat(stale.reason()).contains("changed at offset 2");
    assertThat(fresh.applied()).isTrue();
  }

  @Test
  void anIdNeverNamesTwoSchemasAndASchemaNeverGetsTwoIds() {
    RegistryState state = new RegistryState();
    state.apply(0, register("a", 1, 1, "A", 0));

    Outcome idTaken = state.apply(1, register("b", 1, 1, "B", 1));
    Outcome secondId = state.apply(2, register("c", 1, 2, "A", 2));
    Outcome sameSchemaSameId = state.apply(3, register("c", 1, 1, "A", 3));

    assertThat(idTaken.applied()).isFalse();
    assertThat(secondId.applied()).isFalse();
    assertThat(sameSchemaSameId.applied()).isTrue();
    assertThat(state.versionsOfId(1, false)).extracting(Version::subject).containsExactly("a", "c");
  }

  @Test
  void aHardDeletedIdStaysBoundToItsSchema() {
    RegistryState state = new RegistryState();
    state.apply(0, register("s", 1, 1, "A", 0));
    String registration = state.version("s", 1).orElseThrow().registration();
    state.apply(1, new LogRecord.SoftDelete("d1", "s", List.of(new LogRecord.Target(1, registration))));
    state.apply(2, new LogRecord.HardDelete("d2", "s", List.of(new LogRecord.Target(1, registration))));

    assertThat(state.idInUse(1)).isFalse();
    assertThat(state.apply(3, register("t", 1, 1, "B", 3)).applied()).isFalse();
    assertThat(state.maxId()).isEqualTo(1);
  }

  @Test
  void deletesOnlyApplyInOrderSoftThenHard() {
    RegistryState state = new RegistryState();
    state.apply(0, register("s", 1, 1, "A", 0));
    String registration = state.version("s", 1).orElseThrow().registration();
    List<LogRecord.Target> target = List.of(new LogRecord.Target(1, registration));

    assertThat(state.apply(1, new LogRecord.HardDelete("h1", "s", target)).versions()).isEmpty();
    assertThat(state.apply(2, new LogRecord.SoftDelete("s1", "s", target)).versions()).containsExactly(1);
    assertThat(state.apply(3, new LogRecord.SoftDelete("s2", "s", target)).versions()).isEmpty();
    assertThat(state.apply(4, new LogRecord.HardDelete("h2", "s", target)).versions()).containsExactly(1);
    assertThat(state.versions("s", true)).isEmpty();
  }

  /**
   * Simulates two writers with stale views racing on a few subjects and schemas, then replays both
   * the full log and the log as compaction leaves it (last record per key, tombstones gone): the
   * states must be identical, whatever compaction removed.
   */
  @Test
  void replayingTheCompactedLogGivesTheSameStateAsTheFullLog() {
    for (long seed = 1; seed <= 40; seed++) {
      List<LogCodec.Encoded> log = simulate(new Random(seed), 300);

      Map<String, Object> full = dump(replay(log, false));
      Map<String, Object> compacted = dump(replay(log, true));

      assertThat(compacted).as("seed %d", seed).isEqualTo(full);
      assertThat(compactedSize(log)).as("seed %d: compaction removed something", seed).isLessThan(log.size());
    }
  }

  private static final List<String> SUBJECTS = List.of("s1", "s2", "s3");
  private static final List<String> SCHEMAS = List.of("A", "B", "C", "D", "E", "F");

  private static List<LogCodec.Encoded> simulate(Random random, int steps) {
    List<LogCodec.Encoded> log = new ArrayList<>();
    RegistryState[] writers = {new RegistryState(), new RegistryState()};
    int[] applied = {0, 0};
    for (int step = 0; step < steps; step++) {
      int w = random.nextInt(2);
      // Each writer sees a possibly stale prefix of the log.
      int upTo = applied[w] + random.nextInt(log.size() - applied[w] + 1);
      for (int offset = applied[w]; offset < upTo; offset++) {
        LogRecord record = LogCodec.decode(log.get(offset).key(), log.get(offset).value());
        if (record != null) {
          writers[w].apply(offset, record);
        } else {
          writers[w].advanceTo(offset + 1);
        }
      }
      applied[w] = upTo;
      RegistryState view = writers[w];
      long basis = upTo;
      String subject = SUBJECTS.get(random.nextInt(SUBJECTS.size()));
      List<Version> versions = view.versions(subject, true);
      int action = random.nextInt(10);
      LogRecord record;
      if (action < 5) {
        String fingerprint = SCHEMAS.get(random.nextInt(SCHEMAS.size()));
        int id = view.idOf(fingerprint).orElse(view.maxId() + 1);
        record = new LogRecord.Register(UUID.randomUUID().toString(), subject, view.maxVersion(subject) + 1, id,
            fingerprint, "PROTOBUF", "text of " + fingerprint, List.of(new SchemaReference("x.proto", "x", 1)), basis);
      } else if (action < 7 && !versions.isEmpty()) {
        Version v = versions.get(random.nextInt(versions.size()));
        record = new LogRecord.SoftDelete(UUID.randomUUID().toString(), subject,
            List.of(new LogRecord.Target(v.version(), v.registration())));
      } else if (action < 9 && !versions.isEmpty()) {
        Version v = versions.get(random.nextInt(versions.size()));
        record = new LogRecord.HardDelete(UUID.randomUUID().toString(), subject,
            List.of(new LogRecord.Target(v.version(), v.registration())));
      } else {
        String level = random.nextBoolean() ? null : List.of("NONE", "FULL", "BACKWARD").get(random.nextInt(3));
        record = new LogRecord.Config(random.nextInt(4) == 0 ? null : subject, level);
      }
      log.add(LogCodec.encode(record));
    }
    return log;
  }

  private static RegistryState replay(List<LogCodec.Encoded> log, boolean compacted) {
    Map<String, Integer> lastOffsetOfKey = new HashMap<>();
    for (int offset = 0; offset < log.size(); offset++) {
      lastOffsetOfKey.put(new String(log.get(offset).key()), offset);
    }
    RegistryState state = new RegistryState();
    for (int offset = 0; offset < log.size(); offset++) {
      LogCodec.Encoded record = log.get(offset);
      boolean superseded = lastOffsetOfKey.get(new String(record.key())) != offset;
      if (compacted && (superseded || record.value() == null)) {
        continue; // compaction dropped it (and, later, the tombstone too)
      }
      LogRecord decoded = LogCodec.decode(record.key(), record.value());
      if (decoded != null) {
        state.apply(offset, decoded);
      }
    }
    return state;
  }

  private static int compactedSize(List<LogCodec.Encoded> log) {
    Map<String, LogCodec.Encoded> last = new LinkedHashMap<>();
    log.forEach(r -> last.put(new String(r.key()), r));
    return (int) last.values().stream().filter(r -> r.value() != null).count();
  }

  private static Map<String, Object> dump(RegistryState state) {
    Map<String, Object> out = new TreeMap<>();
    for (String subject : SUBJECTS) {
      out.put("versions " + subject, state.versions(subject, true));
      out.put("level " + subject, state.level(subject));
    }
    out.put("level global", state.level(null));
    out.put("max id", state.maxId());
    for (int id = 1; id <= state.maxId(); id++) {
      out.put("id " + id, state.content(id) + " in use " + state.idInUse(id));
    }
    return out;
  }
}
