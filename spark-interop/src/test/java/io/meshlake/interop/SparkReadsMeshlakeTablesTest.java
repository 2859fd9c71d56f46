package io.meshlake.interop;

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
import io.meshlake.sink.writer.AppendBatchWriter;
import io.meshlake.sink.writer.CopyOnWriteMerge;
import io.meshlake.sink.writer.MergeBatchWriter;
import io.meshlake.sink.writer.MergeLayout;
import io.meshlake.sink.writer.OwnedTable;
import io.meshlake.sink.writer.RawTableLayout;
import io.meshlake.sink.writer.SinkEvent;
import io.meshlake.sink.writer.TableLayout;
import io.meshlake.sink.writer.WriterSettings;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.storage.LocalTableStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * delta-spark 4.0.1 in local mode reads the raw, refined and exploded tables meshlake's writers
 * produce, through the Delta log (checkpoints included), and returns exactly the oracle's rows.
 */
class SparkReadsMeshlakeTablesTest {

  static SparkSession spark;
  @TempDir static Path lake;
  static final EntityCatalog CATALOG = EntityCatalog.load();
  static final WriterSettings SETTINGS = new WriterSettings(1 << 20, 1 << 20, 3, Duration.ofMillis(10), 1_000);

  public record Change(String workspace, String id, long version, boolean tombstone, List<String> labels, IssueStatus status) {}

  static List<Change> changes;

  @BeforeAll
  static void writeTablesThenStartSpark() throws InterruptedException {
    Random random = new Random(11);
    changes = new ArrayList<>();
    for (int round = 1; round <= 12; round++) {
      for (int e = 0; e < 40; e++) {
        if (random.nextInt(3) == 0) {
          continue;
        }
        List<String> labels = new ArrayList<>();
        for (int l = random.nextInt(4); l > 0; l--) {
          labels.add("l" + random.nextInt(9));
        }
        changes.add(new Change("w" + (e % 3), "I-" + e, round, random.nextInt(12) == 0, labels,
            IssueStatus.forNumber(1 + random.nextInt(6))));
      }
    }
    LocalTableStore store = new LocalTableStore(lake);
    EntityManifest issueManifest = CATALOG.byEntityType(1).orElseThrow();
    RawTableLayout raw = new RawTableLayout(issueManifest);
    DeltaTable rawTable = DeltaTable.openOrCreate(store, "raw_jira_issue", raw.layout().schema(), raw.layout().partitionColumns(),
        DeltaTable.defaultProperties(5));
    AppendBatchWriter append = new AppendBatchWriter(Map.of(1, raw),
        Map.of(1, new OwnedTable(rawTable, "interop/facsimile.jira/0", Map.of(), false, 3, Duration.ofMillis(10))), 0, SETTINGS);
    MergeBatchWriter issues = merge(store, "jira_issue");
    MergeBatchWriter labels = merge(store, "jira_issue_label");
    // Batches of 37 events: many commits, so the log has checkpoints and files replaced over time.
    List<SinkEvent> batch = new ArrayList<>();
    for (int i = 0; i < changes.size(); i++) {
      batch.add(event(changes.get(i), issueManifest, i));
      if (batch.size() == 37 || i == changes.size() - 1) {
        append.write(batch, i);
        issues.write(batch, i);
        labels.write(batch, i);
        batch.clear();
      }
    }
    // Checkpoints are written in the background; Spark should find them.
    for (DeltaTable t : List.of(rawTable, issues.table(), labels.table())) {
      assertThat(t.awaitCheckpoints(Duration.ofMinutes(2))).as("checkpoints of " + t.path() + " written").isTrue();
    }
    spark = SparkSession.builder()
        .master("local[1]")
        .appName("meshlake-interop")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
    }
  }

  static MergeBatchWriter merge(LocalTableStore store, String modelName) {
    CompiledModel model = new ModelCompiler().compile(CATALOG, modelName);
    TableLayout layout = new TableLayout(model.schema(), List.of(TableLayout.WORKSPACE));
    DeltaTable table = DeltaTable.openOrCreate(store, modelName, layout.schema(), layout.partitionColumns(), DeltaTable.defaultProperties(5));
    OwnedTable owned = new OwnedTable(table, "interop/model/0", MergeLayout.boundColumns(), true, 3, Duration.ofMillis(10));
    return new MergeBatchWriter(owned, new MergeLayout(layout, 0, SETTINGS), model.rowFunction(), new CopyOnWriteMerge());
  }

  static JiraIssue issue(Change c) {
    return JiraIssue.newBuilder().setIssueId(c.id()).setProjectId("P").setSummary("s" + c.version())
        .setStatus(c.status()).addAllLabels(c.labels()).setStoryPoints((int) c.version()).build();
  }

  static SinkEvent event(Change c, EntityManifest manifest, long offset) {
    JiraIssue entity = c.tombstone() ? JiraIssue.newBuilder().setIssueId(c.id()).build() : issue(c);
    FacsimileRecord record = FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue("ari:cloud:jira:" + c.workspace() + ":issue/" + c.id()))
        .setEntityType(1)
        .setWorkspaceId(Ari.newBuilder().setValue("ari:cloud:platform::workspace/" + c.workspace()))
        .setVersion(c.version())
        .setIsTombstone(c.tombstone())
        .setEntity(Any.pack(entity))
        .build();
    return new SinkEvent(record, manifest, c.workspace(), entity, "facsimile.jira", 0, offset, 1_700_000_000_000L + offset);
  }

  static Map<String, Change> winners() {
    Map<String, Change> winners = new TreeMap<>();
    for (Change c : changes) {
      winners.merge(c.workspace() + "/" + c.id(), c, (a, b) -> b.version() > a.version() ? b : a);
    }
    return winners;
  }

  static String path(String table) {
    return lake.resolve(table).toString();
  }

  @Test
  void sparkReadsTheRawTableWithEveryEventOnce() {
    List<Row> rows = spark.read().format("delta").load(path("raw_jira_issue"))
        .selectExpr("workspace_id", "issue_id", "_version", "_kafka_offset", "labels").collectAsList();
    assertThat(rows).hasSize(changes.size());
    TreeSet<Long> offsets = new TreeSet<>();
    rows.forEach(r -> offsets.add(r.getLong(3)));
    assertThat(offsets).hasSize(changes.size()).first().isEqualTo(0L);
    assertThat(offsets.last()).isEqualTo(changes.size() - 1L);
  }

  @Test
  void sparkReadsTheRefinedTableAsTheOracle() {
    Map<String, String> expected = new TreeMap<>();
    winners().forEach((key, c) -> {
      if (!c.tombstone()) {
        expected.put(key, c.version() + "/" + c.status().name().replace("ISSUE_STATUS_", "") + "/" + c.labels());
      }
    });
    Map<String, String> actual = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(path("jira_issue"))
        .selectExpr("workspace_id", "issue_id", "_version", "status", "labels").collectAsList()) {
      List<String> labels = new ArrayList<>(r.<String>getList(4));
      String previous = actual.put(r.getString(0) + "/" + r.getString(1), r.getLong(2) + "/" + r.getString(3) + "/" + labels);
      assertThat(previous).as("one row per issue").isNull();
    }
    assertThat(actual).isEqualTo(expected);
    // Spark SQL over the same table: the seed's style of query works on it.
    long resolvedInW1 = spark.sql("SELECT COUNT(DISTINCT issue_id) FROM delta.`" + path("jira_issue") + "` WHERE workspace_id = 'w1'")
        .collectAsList().get(0).getLong(0);
    assertThat(resolvedInW1).isEqualTo(expected.keySet().stream().filter(k -> k.startsWith("w1/")).count());
  }

  @Test
  void sparkReadsTheExplodedTableAsTheOracle() {
    Map<String, TreeSet<String>> expected = new TreeMap<>();
    winners().forEach((key, c) -> {
      if (!c.tombstone()) {
        for (int i = 0; i < c.labels().size(); i++) {
          expected.computeIfAbsent(key, k -> new TreeSet<>()).add(i + "=" + c.labels().get(i));
        }
      }
    });
    Map<String, TreeSet<String>> actual = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(path("jira_issue_label"))
        .selectExpr("workspace_id", "issue_id", "label_position", "label").collectAsList()) {
      actual.computeIfAbsent(r.getString(0) + "/" + r.getString(1), k -> new TreeSet<>()).add(r.getInt(2) + "=" + r.getString(3));
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void theLogHasCheckpointsSparkUsed() throws Exception {
    try (var files = java.nio.file.Files.list(lake.resolve("jira_issue/_delta_log"))) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith(".checkpoint.parquet"));
    }
  }
}
