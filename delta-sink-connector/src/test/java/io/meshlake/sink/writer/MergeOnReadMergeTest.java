package io.meshlake.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.sink.model.CompiledModel;
import io.meshlake.sink.model.ModelCompiler;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableFile;
import io.meshlake.table.delta.TableScanner;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merge-on-read through the real writer classes (no Connect): across many batches, a restart that
 * rebuilds the key locator from the table, and self-compaction, the table equals an oracle; replaced
 * rows sit in deletion vectors, not rewritten files.
 */
class MergeOnReadMergeTest {

  static final EntityCatalog CATALOG = EntityCatalog.load();
  static final WriterSettings SETTINGS = new WriterSettings(1 << 20, 1 << 20, 3, Duration.ofMillis(10), 1_000);

  @TempDir Path dir;
  private final List<DeltaTable> tables = new ArrayList<>();

  /** Checkpoints are written in the background: the temporary directory is deleted only once they are. */
  @AfterEach
  void awaitCheckpoints() throws InterruptedException {
    for (DeltaTable table : tables) {
      assertThat(table.awaitCheckpoints(Duration.ofMinutes(2))).as("checkpoints of " + table.path() + " written").isTrue();
    }
  }

  record Change(String workspace, String id, long version, boolean tombstone, List<String> labels, IssueStatus status) {}

  static SinkEvent event(Change c, long offset) {
    EntityManifest manifest = CATALOG.byEntityType(1).orElseThrow();
    JiraIssue entity = c.tombstone() ? JiraIssue.newBuilder().setIssueId(c.id()).build()
        : JiraIssue.newBuilder().setIssueId(c.id()).setStatus(c.status()).addAllLabels(c.labels()).setSummary("v" + c.version()).build();
    FacsimileRecord record = FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue("ari:cloud:jira:" + c.workspace() + ":issue/" + c.id()))
        .setEntityType(1)
        .setWorkspaceId(Ari.newBuilder().setValue("ari:cloud:platform::workspace/" + c.workspace()))
        .setVersion(c.version())
        .setIsTombstone(c.tombstone())
        .setEntity(Any.pack(entity))
        .build();
    return new SinkEvent(record, manifest, c.workspace(), entity, "model.jira_issue", 0, offset, 0L);
  }

  MergeBatchWriter writer(LocalTableStore store, String modelName, MergeOnReadMerge.CompactionPolicy policy) {
    return writer(store, modelName, new MergeOnReadMerge(dir.resolve("locators"), policy));
  }

  MergeBatchWriter writer(LocalTableStore store, String modelName, MergeOnReadMerge strategy) {
    CompiledModel model = new ModelCompiler().compile(CATALOG, modelName);
    TableLayout layout = new TableLayout(model.schema(), List.of(TableLayout.WORKSPACE));
    DeltaTable table = DeltaTable.openOrCreate(store, modelName, layout.schema(), layout.partitionColumns(),
        Map.of(DeltaTable.DELETION_VECTORS, "true", "delta.checkpointInterval", "7"));
    tables.add(table);
    OwnedTable owned = new OwnedTable(table, "test/model/0", MergeLayout.boundColumns(), true, 3, Duration.ofMillis(10));
    return new MergeBatchWriter(owned, new MergeLayout(layout, 0, SETTINGS), model.rowFunction(), strategy);
  }

  static Map<String, String> expectedIssues(List<Change> changes) {
    Map<String, Change> winners = new TreeMap<>();
    changes.forEach(c -> winners.merge(c.workspace() + "/" + c.id(), c, (a, b) -> b.version() > a.version() ? b : a));
    Map<String, String> expected = new TreeMap<>();
    winners.forEach((k, c) -> {
      if (!c.tombstone()) {
        expected.put(k, c.version() + "/" + c.status().name().replace("ISSUE_STATUS_", "") + "/" + c.labels());
      }
    });
    return expected;
  }

  static Map<String, List<String>> expectedLabels(List<Change> changes) {
    Map<String, Change> winners = new TreeMap<>();
    changes.forEach(c -> winners.merge(c.workspace() + "/" + c.id(), c, (a, b) -> b.version() > a.version() ? b : a));
    Map<String, List<String>> expected = new TreeMap<>();
    winners.forEach((k, c) -> {
      if (!c.tombstone() && !c.labels().isEmpty()) {
        List<String> children = new ArrayList<>();
        for (int i = 0; i < c.labels().size(); i++) {
          children.add(i + "=" + c.labels().get(i));
        }
        expected.put(k, children);
      }
    });
    return expected;
  }

  static Map<String, String> issues(DeltaTable table) {
    TableSchema s = table.schema();
    Map<String, String> state = new TreeMap<>();
    for (Object[] r : TableScanner.readAll(table)) {
      String key = r[s.indexOf("workspace_id")] + "/" + r[s.indexOf("issue_id")];
      assertThat(state.put(key, r[s.indexOf("_version")] + "/" + r[s.indexOf("status")] + "/" + r[s.indexOf("labels")]))
          .as("one live row per entity: " + key).isNull();
    }
    return state;
  }

  static Map<String, List<String>> labels(DeltaTable table) {
    TableSchema s = table.schema();
    Map<String, List<String>> state = new TreeMap<>();
    for (Object[] r : TableScanner.readAll(table)) {
      state.computeIfAbsent(r[s.indexOf("workspace_id")] + "/" + r[s.indexOf("issue_id")], k -> new ArrayList<>())
          .add(r[s.indexOf("label_position")] + "=" + r[s.indexOf("label")]);
    }
    state.values().forEach(l -> l.sort(null));
    return state;
  }

  MergeBatchWriter writer(LocalTableStore store, String modelName, MergeOnReadMerge.CompactionPolicy policy, boolean background) {
    return writer(store, modelName, background
        ? MergeOnReadMerge.inBackground(dir.resolve("locators"), policy, CompactionPacer.unpaced())
        : new MergeOnReadMerge(dir.resolve("locators"), policy));
  }

  @ParameterizedTest(name = "compaction in the background: {0}")
  @ValueSource(booleans = {false, true})
  void tableEqualsTheOracleAcrossBatchesRestartsAndCompaction(boolean background) {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    MergeOnReadMerge.CompactionPolicy policy = new MergeOnReadMerge.CompactionPolicy(0.3, 6, 1 << 20, 64 << 20);
    Random random = new Random(8);
    List<Change> changes = new ArrayList<>();
    long[] version = new long[300];
    MergeBatchWriter issues = writer(store, "jira_issue", policy, background);
    MergeBatchWriter labels = writer(store, "jira_issue_label", policy, background);
    long offset = 0;
    // In the background, rounds finish whenever they do: at least 40 batches, then more until both
    // writers committed rounds (a batch of a few changes each, so rounds overlap ever fewer of them).
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    for (int batch = 0; batch < 40 || issues.compactionStats().compactions() == 0 || labels.compactionStats().compactions() == 0; batch++) {
      if (batch >= 40) {
        assertThat(System.nanoTime()).as("both writers committed a compaction round within 2 minutes").isLessThan(deadline);
      }
      if (batch == 20) {
        // a restart: new writers rebuild their key locators from the table
        issues.close();
        labels.close();
        issues = writer(store, "jira_issue", policy, background);
        labels = writer(store, "jira_issue_label", policy, background);
      }
      List<SinkEvent> events = new ArrayList<>();
      for (int i = 0; i < (batch < 40 ? 60 : 3); i++) {
        int e = random.nextInt(version.length);
        version[e] += 1 + random.nextInt(2);
        List<String> ls = new ArrayList<>();
        for (int l = random.nextInt(4); l > 0; l--) {
          ls.add("l" + random.nextInt(5));
        }
        Change c = new Change("w" + (e % 5), "I-" + e, version[e], random.nextInt(15) == 0, ls, IssueStatus.forNumber(1 + random.nextInt(6)));
        changes.add(c);
        events.add(event(c, offset++));
      }
      if (batch % 7 == 3) {
        // a stale update arriving after a newer one (not after a tombstone: the topology guarantees that)
        Change newest = changes.get(changes.size() - 1);
        if (!newest.tombstone() && newest.version() > 1) {
          Change stale = new Change(newest.workspace(), newest.id(), newest.version() - 1, false, List.of("stale"), IssueStatus.ISSUE_STATUS_OPEN);
          events.add(event(stale, offset++));
        }
      }
      issues.write(events, offset - 1);
      labels.write(events, offset - 1);
      assertThat(issues(issues.table())).as("after batch " + batch).isEqualTo(expectedIssues(changes));
      assertThat(labels(labels.table())).as("after batch " + batch).isEqualTo(expectedLabels(changes));
    }
    DeltaTable table = issues.table();
    List<TableFile> files = table.files(table.latest(), Map.of(), f -> true);
    assertThat(files).anyMatch(f -> f.deletionVector().isPresent());
    assertThat(issues.compactionStats().compactions()).as("self-compaction ran").isPositive();
    assertThat(issues.compactionStats().deletedRowsPurged()).isPositive();
    assertThat(issues.compactionStats().rowsRewritten()).as("live rows written again by compaction (JMX RowsCompacted)").isPositive();
    assertThat(issues.compactionStats().filesCompacted()).isGreaterThanOrEqualTo(2 * issues.compactionStats().compactions());
    assertThat(table.transactionVersion(table.latest(), "test/model/0")).contains(offset - 1);
    issues.close();
    labels.close();
  }

  @Test
  void aBatchWritesChangesAsTheyArriveAndItsOwnReplacedRowsGoToTheNewFilesVector() throws IOException {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    MergeOnReadMerge.CompactionPolicy noCompaction = new MergeOnReadMerge.CompactionPolicy(1.0, 1_000_000, 1, 1 << 30);
    MergeBatchWriter issues = writer(store, "jira_issue", noCompaction);
    List<Change> changes = new ArrayList<>();
    long offset = 0;
    List<SinkEvent> first = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Change c = new Change("w1", "I-" + i, 1, false, List.of(), IssueStatus.ISSUE_STATUS_OPEN);
      changes.add(c);
      first.add(event(c, offset++));
    }
    issues.write(first, offset - 1);

    // One batch: I-1 twice and then an older version; I-2 updated then deleted; I-4 and I-5 new, I-5 then deleted.
    List<Change> batch = List.of(
        new Change("w1", "I-1", 2, false, List.of(), IssueStatus.ISSUE_STATUS_IN_PROGRESS),
        new Change("w1", "I-1", 4, false, List.of(), IssueStatus.ISSUE_STATUS_DONE),
        new Change("w1", "I-1", 3, false, List.of("stale"), IssueStatus.ISSUE_STATUS_OPEN),
        new Change("w1", "I-2", 2, false, List.of(), IssueStatus.ISSUE_STATUS_DONE),
        new Change("w1", "I-2", 3, true, List.of(), IssueStatus.ISSUE_STATUS_OPEN),
        new Change("w1", "I-4", 1, false, List.of(), IssueStatus.ISSUE_STATUS_OPEN),
        new Change("w1", "I-4", 2, false, List.of("x"), IssueStatus.ISSUE_STATUS_DONE),
        new Change("w1", "I-5", 1, false, List.of(), IssueStatus.ISSUE_STATUS_OPEN),
        new Change("w1", "I-5", 2, true, List.of(), IssueStatus.ISSUE_STATUS_OPEN));
    List<SinkEvent> events = new ArrayList<>();
    for (Change c : batch) {
      changes.add(c);
      events.add(event(c, offset++));
    }
    assertThat(issues.holdsDecodedEvents()).as("rows go to the batch's files as they arrive").isFalse();
    for (SinkEvent e : events) {
      issues.add(e);
    }
    assertThat(issues(issues.table())).as("and invisible until it").isEqualTo(expectedIssues(changes.subList(0, 3)));
    issues.commit(offset - 1);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));
    assertThat(issues.lastStats().opsStale()).as("I-1 version 3 after 4").isEqualTo(1);
    // I-1 v2, I-2 v2, I-4 v1 and I-5 v1 were written and then replaced within the batch: the new file
    // is added with a deletion vector of those 4 rows (not removed and re-added like the older files).
    List<JsonNode> added = newFilesAddedWithAVector(store, "jira_issue");
    assertThat(added).hasSize(1);
    assertThat(added.get(0).path("deletionVector").path("cardinality").asLong()).isEqualTo(4);

    // A discarded batch leaves no file behind, and the next batch of the same events commits normally.
    Set<Path> committed = dataFiles(store, "jira_issue");
    Change late = new Change("w1", "I-3", 2, false, List.of(), IssueStatus.ISSUE_STATUS_DONE);
    issues.add(event(late, offset));
    issues.discard();
    assertThat(dataFiles(store, "jira_issue")).isEqualTo(committed);
    issues.write(List.of(event(late, offset)), offset);
    changes.add(late);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));
    issues.close();

    // A restart rebuilds the locator from files that carry vectors from their first commit.
    MergeBatchWriter reopened = writer(store, "jira_issue", noCompaction);
    Change after = new Change("w1", "I-4", 3, false, List.of(), IssueStatus.ISSUE_STATUS_OPEN);
    changes.add(after);
    reopened.write(List.of(event(after, offset + 1)), offset + 1);
    assertThat(issues(reopened.table())).isEqualTo(expectedIssues(changes));
    reopened.close();
  }

  static Set<Path> dataFiles(LocalTableStore store, String table) throws IOException {
    try (Stream<Path> files = Files.walk(store.root().resolve(table))) {
      return files.filter(Files::isRegularFile)
          .filter(f -> !f.toString().contains("_delta_log") && !f.getFileName().toString().startsWith("deletion_vector"))
          .collect(Collectors.toSet());
    }
  }

  /** The {@code add} actions of the table's log that bring a new file with a vector (no remove of it in the same commit). */
  static List<JsonNode> newFilesAddedWithAVector(LocalTableStore store, String table) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> result = new ArrayList<>();
    List<Path> commits;
    try (Stream<Path> log = Files.list(store.root().resolve(table).resolve("_delta_log"))) {
      commits = log.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    for (Path commit : commits) {
      List<JsonNode> actions = new ArrayList<>();
      for (String line : Files.readAllLines(commit)) {
        actions.add(json.readTree(line));
      }
      Set<String> removed = new HashSet<>();
      actions.stream().filter(a -> a.has("remove")).forEach(a -> removed.add(a.get("remove").get("path").asText()));
      actions.stream().filter(a -> a.has("add") && a.get("add").has("deletionVector") && !a.get("add").get("deletionVector").isNull())
          .filter(a -> !removed.contains(a.get("add").get("path").asText()))
          .forEach(a -> result.add(a.get("add")));
    }
    return result;
  }

  @Test
  void pacedCompactionTakesOnlyTheFilesItsTimeShareAllowsAndTheRestLater() {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    // files with 30 % of their rows deleted are due; small-file tiers never fill
    MergeOnReadMerge.CompactionPolicy policy = new MergeOnReadMerge.CompactionPolicy(0.3, 1_000_000, 1, 1 << 30);
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    MergeBatchWriter issues = inlineIssues(store, policy, new CompactionPacer(0.5, clock::get));
    List<Change> changes = new ArrayList<>();
    long offset = 0;
    // four files of 100 rows, one per workspace
    offset = writeIssues(issues, changes, offset, 400, 1, IssueStatus.ISSUE_STATUS_OPEN);
    // replace 60 of each file's rows: all four files are due
    offset = writeIssues(issues, changes, offset, 240, 2, IssueStatus.ISSUE_STATUS_DONE);
    assertThat(issues.compactionStats().compactions()).as("the clock has not moved: no time to share").isZero();

    // a minute of quiet before a batch earns no credit: its round may take a share of the batch's own time
    clock.addAndGet(60_000_000_000L);
    offset = commitOneNewIssue(issues, changes, "I-8999", offset);
    assertThat(issues.compactionStats().compactions()).as("the batch took no time").isZero();

    // a batch open for 2 ms, at 20 µs a row: 100 rows, so one file per round (the one crossing the budget is taken)
    offset = commitOneNewIssue(issues, changes, "I-9000", offset, clock, 2_000_000);
    assertThat(issues.compactionStats().compactions()).isEqualTo(1);
    assertThat(issues.compactionStats().filesCompacted()).isEqualTo(1);
    assertThat(issues.compactionStats().deletedRowsPurged()).isEqualTo(60);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));

    // a batch open for a second: the other three in one round
    offset = commitOneNewIssue(issues, changes, "I-9001", offset, clock, 1_000_000_000);
    assertThat(issues.compactionStats().compactions()).isEqualTo(2);
    assertThat(issues.compactionStats().filesCompacted()).isEqualTo(4);
    assertThat(issues.compactionStats().deletedRowsPurged()).isEqualTo(240);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));
    issues.close();
  }

  /**
   * A round that read its files in the background is committed by the next flush, after that flush's
   * batch: rows the batch replaced in the round's sources (their deletion vectors grew, or a source
   * file was removed whole) are marked deleted in the round's files, and the locator keeps the batch's rows.
   */
  @Test
  void aBackgroundRoundIsCommittedAtTheNextFlushAndRowsReplacedMeanwhileStayReplaced() throws IOException {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    MergeOnReadMerge.CompactionPolicy policy = new MergeOnReadMerge.CompactionPolicy(0.3, 1_000_000, 1, 1 << 30);
    List<Runnable> issueRounds = new ArrayList<>();
    List<Runnable> labelRounds = new ArrayList<>();
    MergeBatchWriter issues = writer(store, "jira_issue", new MergeOnReadMerge(dir.resolve("locators"), policy,
        CompactionPacer.unpaced(), issueRounds::add));
    MergeBatchWriter labels = writer(store, "jira_issue_label", new MergeOnReadMerge(dir.resolve("locators"), policy,
        CompactionPacer.unpaced(), labelRounds::add));
    List<Change> changes = new ArrayList<>();
    long[] offset = {0};
    java.util.function.Consumer<List<Change>> write = batch -> {
      List<SinkEvent> events = new ArrayList<>();
      for (Change c : batch) {
        changes.add(c);
        events.add(event(c, offset[0]++));
      }
      issues.write(events, offset[0] - 1);
      labels.write(events, offset[0] - 1);
    };
    java.util.function.BiFunction<String, Integer, List<String>> labelsOf = (id, v) -> List.of("a" + v, "b" + id);
    // w1: one file of 100 issues; w2: one of 4
    List<Change> first = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      first.add(new Change("w1", "I-" + i, 1, false, labelsOf.apply("I-" + i, 1), IssueStatus.ISSUE_STATUS_OPEN));
    }
    for (int i = 0; i < 4; i++) {
      first.add(new Change("w2", "J-" + i, 1, false, labelsOf.apply("J-" + i, 1), IssueStatus.ISSUE_STATUS_OPEN));
    }
    write.accept(first);
    // 40 of w1's rows and 2 of w2's replaced: both files are due; the round starts and is left running
    List<Change> second = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      second.add(new Change("w1", "I-" + i, 2, false, labelsOf.apply("I-" + i, 2), IssueStatus.ISSUE_STATUS_DONE));
    }
    second.add(new Change("w2", "J-0", 2, false, labelsOf.apply("J-0", 2), IssueStatus.ISSUE_STATUS_DONE));
    second.add(new Change("w2", "J-1", 2, false, labelsOf.apply("J-1", 2), IssueStatus.ISSUE_STATUS_DONE));
    write.accept(second);
    assertThat(issueRounds).as("a round was started, not run on the task thread").hasSize(1);
    assertThat(labelRounds).hasSize(1);
    assertThat(issues.compactionStats().compactions()).isZero();

    issueRounds.remove(0).run();
    labelRounds.remove(0).run();
    assertThat(issues.compactionStats().compactions()).as("a finished round waits for the next flush").isZero();
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));

    // Meanwhile: I-50..I-59 updated and I-60 deleted (rows the round copied from w1's file); J-2 and J-3
    // updated, so every row of w2's file is replaced and the batch removes it; I-0 (in the second batch's file).
    List<Change> third = new ArrayList<>();
    for (int i = 50; i < 60; i++) {
      third.add(new Change("w1", "I-" + i, 3, false, labelsOf.apply("I-" + i, 3), IssueStatus.ISSUE_STATUS_IN_PROGRESS));
    }
    third.add(new Change("w1", "I-60", 3, true, List.of(), IssueStatus.ISSUE_STATUS_OPEN));
    third.add(new Change("w2", "J-2", 3, false, labelsOf.apply("J-2", 3), IssueStatus.ISSUE_STATUS_DONE));
    third.add(new Change("w2", "J-3", 3, false, labelsOf.apply("J-3", 3), IssueStatus.ISSUE_STATUS_DONE));
    third.add(new Change("w1", "I-0", 3, false, labelsOf.apply("I-0", 3), IssueStatus.ISSUE_STATUS_OPEN));
    List<JsonNode> vectorsBefore = newFilesAddedWithAVector(store, "jira_issue");
    write.accept(third);
    assertThat(issues.compactionStats().compactions()).isEqualTo(1);
    assertThat(issues.compactionStats().filesCompacted()).as("w1's file and w2's (removed by the batch, not again)").isEqualTo(2);
    assertThat(labels.compactionStats().compactions()).isEqualTo(1);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));
    assertThat(labels(labels.table())).isEqualTo(expectedLabels(changes));
    List<JsonNode> vectors = newFilesAddedWithAVector(store, "jira_issue");
    assertThat(vectors.subList(vectorsBefore.size(), vectors.size())).as("the round's w1 file, with the 11 rows replaced meanwhile")
        .singleElement().satisfies(add -> assertThat(add.path("deletionVector").path("cardinality").asLong()).isEqualTo(11));
    for (DeltaTable table : List.of(issues.table(), labels.table())) {
      assertThat(table.files(table.latest(), Map.of(), f -> true)).as("no file without a live row is added")
          .allMatch(f -> f.liveRecords() > 0);
    }

    // The locator follows: the batch's rows for I-50 and I-60, the round's for I-70 and J-*.
    List<Change> fourth = List.of(
        new Change("w1", "I-50", 4, false, labelsOf.apply("I-50", 4), IssueStatus.ISSUE_STATUS_OPEN),
        new Change("w1", "I-60", 4, false, labelsOf.apply("I-60", 4), IssueStatus.ISSUE_STATUS_OPEN),
        new Change("w1", "I-70", 4, false, labelsOf.apply("I-70", 4), IssueStatus.ISSUE_STATUS_OPEN),
        new Change("w2", "J-2", 4, true, List.of(), IssueStatus.ISSUE_STATUS_OPEN));
    write.accept(fourth);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));
    assertThat(labels(labels.table())).isEqualTo(expectedLabels(changes));
    issues.close();
    labels.close();

    // A restart rebuilds the locator from the round's files and their vectors.
    MergeBatchWriter reopened = writer(store, "jira_issue", policy);
    Change after = new Change("w1", "I-55", 5, false, List.of(), IssueStatus.ISSUE_STATUS_DONE);
    changes.add(after);
    reopened.write(List.of(event(after, offset[0])), offset[0]);
    assertThat(issues(reopened.table())).isEqualTo(expectedIssues(changes));
    reopened.close();
  }

  /** A round that fails leaves the table as it was; the batches go on, and a later flush tries again. */
  @Test
  void aFailedBackgroundRoundChangesNothingAndIsTriedAgain() throws IOException {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    MergeOnReadMerge.CompactionPolicy policy = new MergeOnReadMerge.CompactionPolicy(0.3, 1_000_000, 1, 1 << 30);
    List<Runnable> rounds = new ArrayList<>();
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    MergeBatchWriter issues = writer(store, "jira_issue", new MergeOnReadMerge(dir.resolve("locators"), policy,
        new CompactionPacer(0.5, clock::get), rounds::add));
    List<Change> changes = new ArrayList<>();
    long offset = 0;
    List<SinkEvent> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Change c = new Change("w1", "I-" + i, 1, false, List.of(), IssueStatus.ISSUE_STATUS_OPEN);
      changes.add(c);
      events.add(event(c, offset++));
    }
    issues.write(events, offset - 1);
    Set<Path> firstFiles = dataFiles(store, "jira_issue");
    events = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      Change c = new Change("w1", "I-" + i, 2, false, List.of(), IssueStatus.ISSUE_STATUS_DONE);
      changes.add(c);
      events.add(event(c, offset++));
    }
    events.forEach(issues::add);
    clock.addAndGet(1_000_000_000);
    issues.commit(offset - 1);
    assertThat(rounds).hasSize(1);
    // the round's source is unreadable while it runs
    Path source = firstFiles.iterator().next();
    Path aside = dir.resolve("aside.parquet");
    Files.move(source, aside);
    rounds.remove(0).run();
    Files.move(aside, source);
    Set<Path> beforeFailure = dataFiles(store, "jira_issue");

    offset = commitOneNewIssue(issues, changes, "I-9000", offset, clock, 1_000_000_000);
    assertThat(issues.compactionStats().failedRounds()).isEqualTo(1);
    assertThat(issues.compactionStats().compactions()).isZero();
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));
    assertThat(rounds).as("the flush that found the first failure started the round again").hasSize(1);
    Set<Path> added = new HashSet<>(dataFiles(store, "jira_issue"));
    added.removeAll(beforeFailure);
    assertThat(added).as("only the batch's file is new: the failed round left nothing").hasSize(1);

    // a second failure in a row: no new round for a second
    Files.move(source, aside);
    rounds.remove(0).run();
    Files.move(aside, source);
    offset = commitOneNewIssue(issues, changes, "I-9001", offset, clock, 500_000_000);
    assertThat(issues.compactionStats().failedRounds()).isEqualTo(2);
    assertThat(rounds).as("backing off after two failures in a row").isEmpty();
    assertThat(issues.compactionPending()).as("the files are still due").isTrue();
    offset = commitOneNewIssue(issues, changes, "I-9002", offset, clock, 1_000_000_000);
    assertThat(rounds).hasSize(1);

    rounds.remove(0).run();
    commitOneNewIssue(issues, changes, "I-9003", offset);
    assertThat(issues.compactionStats().compactions()).isEqualTo(1);
    assertThat(issues.compactionStats().deletedRowsPurged()).isEqualTo(20);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));
    issues.close();
  }

  /**
   * An idle partition (no batch open) compacts the files due at its last flush, paced like any round;
   * while events are staged it waits for their commit.
   */
  @Test
  void anIdlePartitionCompactsTheFilesDueAtItsLastFlushButNotWhileABatchIsOpen() {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    MergeOnReadMerge.CompactionPolicy policy = new MergeOnReadMerge.CompactionPolicy(0.3, 1_000_000, 1, 1 << 30);
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    MergeBatchWriter issues = inlineIssues(store, policy, new CompactionPacer(0.5, clock::get));
    List<Change> changes = new ArrayList<>();
    long offset = 0;
    offset = writeIssues(issues, changes, offset, 400, 1, IssueStatus.ISSUE_STATUS_OPEN);
    assertThat(issues.compactionPending()).isFalse();
    offset = writeIssues(issues, changes, offset, 240, 2, IssueStatus.ISSUE_STATUS_DONE);
    assertThat(issues.compactionPending()).as("four files are due").isTrue();
    issues.maintainIdle();
    assertThat(issues.compactionStats().compactions()).as("no time has passed to share").isZero();

    clock.addAndGet(2_000_000); // 100 rows' worth: one file
    issues.maintainIdle();
    assertThat(issues.compactionStats().compactions()).isEqualTo(1);
    assertThat(issues.compactionStats().filesCompacted()).isEqualTo(1);
    assertThat(issues.compactionPending()).isTrue();
    clock.addAndGet(1_000_000_000);
    issues.maintainIdle();
    assertThat(issues.compactionStats().filesCompacted()).isEqualTo(4);
    assertThat(issues.compactionPending()).as("nothing left to compact").isFalse();
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));

    // due again, but a batch is open: its commit comes first, and the round after it
    List<SinkEvent> events = new ArrayList<>();
    for (int e = 0; e < 40; e++) {
      Change c = new Change("w1", "I-" + (4 * e + 1), 3, false, List.of(), IssueStatus.ISSUE_STATUS_OPEN);
      changes.add(c);
      events.add(event(c, offset++));
    }
    issues.write(events, offset - 1);
    assertThat(issues.compactionPending()).isTrue();
    Change open = new Change("w2", "I-2", 3, false, List.of(), IssueStatus.ISSUE_STATUS_OPEN);
    changes.add(open);
    issues.add(event(open, offset));
    clock.addAndGet(1_000_000_000);
    issues.maintainIdle();
    assertThat(issues.compactionStats().compactions()).as("no round while events are staged").isEqualTo(2);
    issues.commit(offset);
    assertThat(issues.compactionStats().compactions()).isEqualTo(3);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));
    issues.close();
  }

  /**
   * A quiet partition merges a tier of small files once it holds half the factor's files (4 of 8), so
   * the tiers a bulk load leaves nearly full are merged before changes arrive; a flush still waits for 8.
   */
  @Test
  void aQuietPartitionMergesATierAtHalfTheFactor() {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    MergeOnReadMerge.CompactionPolicy policy = new MergeOnReadMerge.CompactionPolicy(0.9, 8, 1 << 30, 1 << 30);
    MergeBatchWriter issues = inlineIssues(store, policy, CompactionPacer.unpaced());
    List<Change> changes = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < 3; i++) {
      offset = commitOneNewIssue(issues, changes, "I-" + i, offset);
    }
    assertThat(issues.compactionPending()).as("3 files of tier 0: not even a quiet partition merges them").isFalse();
    offset = commitOneNewIssue(issues, changes, "I-3", offset);
    assertThat(issues.compactionStats().compactions()).as("a flush merges a tier at 8 files").isZero();
    assertThat(issues.compactionPending()).as("4 files: due once the partition is quiet").isTrue();

    Change open = new Change("w9", "I-4", 1, false, List.of(), IssueStatus.ISSUE_STATUS_OPEN);
    changes.add(open);
    issues.add(event(open, offset));
    assertThat(issues.compactionPending()).as("not quiet while a batch is open").isFalse();
    issues.maintainIdle();
    assertThat(issues.compactionStats().compactions()).isZero();
    issues.commit(offset++);
    assertThat(issues.compactionStats().compactions()).as("5 files are not a full tier for a flush").isZero();

    issues.maintainIdle();
    assertThat(issues.compactionStats().compactions()).isEqualTo(1);
    assertThat(issues.compactionStats().filesCompacted()).isEqualTo(5);
    assertThat(issues.compactionPending()).isFalse();
    assertThat(issues.table().files(issues.table().latest(), Map.of(), f -> true)).as("one live file").hasSize(1);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));

    // 8 files at a flush are merged by the flush, quiet or not
    for (int i = 5; i < 12; i++) {
      offset = commitOneNewIssue(issues, changes, "I-" + i, offset);
    }
    assertThat(issues.compactionStats().compactions()).isEqualTo(2);
    assertThat(issues.compactionStats().filesCompacted()).isEqualTo(13);
    assertThat(issues(issues.table())).isEqualTo(expectedIssues(changes));
    issues.close();
  }

  /** A jira_issue writer whose merge_on_read strategy compacts inline with {@code pacer}. */
  MergeBatchWriter inlineIssues(LocalTableStore store, MergeOnReadMerge.CompactionPolicy policy, CompactionPacer pacer) {
    return writer(store, "jira_issue", new MergeOnReadMerge(dir.resolve("locators"), policy, pacer));
  }

  /** Commits issues I-0 .. I-(count - 1) at {@code version}, spread over workspaces w0 .. w3; returns the next offset. */
  static long writeIssues(MergeBatchWriter issues, List<Change> changes, long offset, int count, long version, IssueStatus status) {
    List<SinkEvent> events = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      Change c = new Change("w" + (e % 4), "I-" + e, version, false, List.of(), status);
      changes.add(c);
      events.add(event(c, offset++));
    }
    issues.write(events, offset - 1);
    return offset;
  }

  /** A commit of one new issue in a workspace of its own, so the compaction round after it has the earlier files to itself. */
  static long commitOneNewIssue(MergeBatchWriter issues, List<Change> changes, String id, long offset) {
    return commitOneNewIssue(issues, changes, id, offset, new java.util.concurrent.atomic.AtomicLong(), 0);
  }

  /** The same, the batch open for {@code openNanos} on the pacer's {@code clock} (the time a round may take its share of). */
  static long commitOneNewIssue(MergeBatchWriter issues, List<Change> changes, String id, long offset,
      java.util.concurrent.atomic.AtomicLong clock, long openNanos) {
    Change c = new Change("w9", id, 1, false, List.of(), IssueStatus.ISSUE_STATUS_OPEN);
    changes.add(c);
    issues.add(event(c, offset));
    clock.addAndGet(openNanos);
    issues.commit(offset);
    return offset + 1;
  }

  @Test
  void smallFileTiersGrowByTheCompactionFactor() {
    // factor 8, by live rows: [0, 8) tier 0, [8, 64) tier 1, [64, 512) tier 2 ...
    assertThat(MergeOnReadMerge.tier(0, 8)).isZero();
    assertThat(MergeOnReadMerge.tier(1, 8)).isZero();
    assertThat(MergeOnReadMerge.tier(7, 8)).isZero();
    assertThat(MergeOnReadMerge.tier(8, 8)).isEqualTo(1);
    assertThat(MergeOnReadMerge.tier(63, 8)).isEqualTo(1);
    assertThat(MergeOnReadMerge.tier(64, 8)).isEqualTo(2);
    assertThat(MergeOnReadMerge.tier(100_000, 8)).isEqualTo(5);
    assertThat(MergeOnReadMerge.tier(16, 4)).isEqualTo(2);
    // a full tier of files, even of one row each, merges into a file of a higher tier, which the
    // next round leaves alone
    for (int rows : new int[] {1, 5, 8, 50, 63, 4_000}) {
      assertThat(MergeOnReadMerge.tier(8L * rows, 8)).as("8 files of %d rows", rows).isGreaterThan(MergeOnReadMerge.tier(rows, 8));
    }
    assertThat(MergeOnReadMerge.tier(Long.MAX_VALUE, 16)).isLessThan(63);
    assertThat(MergeOnReadMerge.tier(Long.MAX_VALUE, 3)).isLessThan(63);
  }
}
