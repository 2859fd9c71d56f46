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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
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
    CompiledModel model = new ModelCompiler().compile(CATALOG, modelName);
    TableLayout layout = new TableLayout(model.schema(), List.of(TableLayout.WORKSPACE));
    DeltaTable table = DeltaTable.openOrCreate(store, modelName, layout.schema(), layout.partitionColumns(),
        Map.of(DeltaTable.DELETION_VECTORS, "true", "delta.checkpointInterval", "7"));
    OwnedTable owned = new OwnedTable(table, "test/model/0", MergeLayout.boundColumns(), true, 3, Duration.ofMillis(10));
    return new MergeBatchWriter(owned, new MergeLayout(layout, 0, SETTINGS), model.rowFunction(),
        new MergeOnReadMerge(dir.resolve("locators"), policy));
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

  @Test
  void tableEqualsTheOracleAcrossBatchesRestartsAndCompaction() {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    MergeOnReadMerge.CompactionPolicy policy = new MergeOnReadMerge.CompactionPolicy(0.3, 6, 1 << 20, 64 << 20);
    Random random = new Random(8);
    List<Change> changes = new ArrayList<>();
    long[] version = new long[300];
    MergeBatchWriter issues = writer(store, "jira_issue", policy);
    MergeBatchWriter labels = writer(store, "jira_issue_label", policy);
    long offset = 0;
    for (int batch = 0; batch < 40; batch++) {
      if (batch == 20) {
        // a restart: new writers rebuild their key locators from the table
        issues.close();
        labels.close();
        issues = writer(store, "jira_issue", policy);
        labels = writer(store, "jira_issue_label", policy);
      }
      List<SinkEvent> events = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
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
  void smallFileTiersGrowByTheCompactionFactor() {
    // factor 8 from 8 KiB: [0, 64 KiB) tier 0, [64 KiB, 512 KiB) tier 1, [512 KiB, 4 MiB) tier 2 ...
    assertThat(MergeOnReadMerge.tier(0, 8)).isZero();
    assertThat(MergeOnReadMerge.tier(36 << 10, 8)).isZero();
    assertThat(MergeOnReadMerge.tier((64 << 10) - 1, 8)).isZero();
    assertThat(MergeOnReadMerge.tier(64 << 10, 8)).isEqualTo(1);
    assertThat(MergeOnReadMerge.tier(1 << 20, 8)).isEqualTo(2);
    assertThat(MergeOnReadMerge.tier(7 << 20, 8)).isEqualTo(3);
    assertThat(MergeOnReadMerge.tier(32 << 10, 4)).isEqualTo(1);
    // a full tier of files merges into a file of a higher tier, which the next round leaves alone
    assertThat(MergeOnReadMerge.tier(8 * (50 << 10), 8)).isGreaterThan(MergeOnReadMerge.tier(50 << 10, 8));
    assertThat(MergeOnReadMerge.tier(Long.MAX_VALUE, 16)).isLessThan(63);
  }
}
