package io.meshlake.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.sink.model.CompiledModel;
import io.meshlake.sink.model.ModelCompiler;
import io.meshlake.sink.writer.MergeBatchWriter;
import io.meshlake.sink.writer.MergeLayout;
import io.meshlake.sink.writer.MergeOnReadMerge;
import io.meshlake.sink.writer.OwnedTable;
import io.meshlake.sink.writer.SinkEvent;
import io.meshlake.sink.writer.TableLayout;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.KernelReader;
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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A merge-on-read table with deletion vectors, read by delta-spark 4.0.1, by Delta Kernel's own read
 * path, by meshlake's scanner and by lake-query (DuckDB) — before and after the owner's
 * self-compaction — returns exactly the oracle's rows.
 */
class DeletionVectorInteropTest {

  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void startSpark() {
    spark = SparkSession.builder().master("local[1]").appName("meshlake-dv-interop")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
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

  MergeBatchWriter writer(LocalTableStore store, MergeOnReadMerge.CompactionPolicy policy) {
    CompiledModel model = new ModelCompiler().compile(SparkReadsMeshlakeTablesTest.CATALOG, "jira_issue");
    TableLayout layout = new TableLayout(model.schema(), List.of(TableLayout.WORKSPACE));
    DeltaTable table = DeltaTable.openOrCreate(store, "jira_issue_mor", layout.schema(), layout.partitionColumns(),
        Map.of(DeltaTable.DELETION_VECTORS, "true", "delta.checkpointInterval", "5"));
    OwnedTable owned = new OwnedTable(table, "interop/model.jira_issue/0", MergeLayout.boundColumns(), true, 3, Duration.ofMillis(10));
    return new MergeBatchWriter(owned, new MergeLayout(layout, 0, SparkReadsMeshlakeTablesTest.SETTINGS), model.rowFunction(),
        new MergeOnReadMerge(dir.resolve("locators"), policy));
  }

  @Test
  void sparkKernelAndMeshlakeReadDeletionVectorsBeforeAndAfterCompaction() throws Exception {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    EntityManifest manifest = SparkReadsMeshlakeTablesTest.CATALOG.byEntityType(1).orElseThrow();
    Random random = new Random(17);
    List<SparkReadsMeshlakeTablesTest.Change> changes = new ArrayList<>();
    long[] versions = new long[400];
    long offset = 0;
    // Phase 1: compaction effectively off, so replaced rows accumulate in deletion vectors.
    MergeBatchWriter writer = writer(store, new MergeOnReadMerge.CompactionPolicy(1.0, 1_000_000, 1, 1 << 30));
    // a first batch creating every entity, so later batches only delete some rows of its big files
    offset = batch(writer, manifest, random, changes, versions, offset, 400, true);
    for (int b = 0; b < 8; b++) {
      offset = batch(writer, manifest, random, changes, versions, offset, 60, false);
    }
    // one entity changed twice in one batch: the batch's file comes with a vector marking the older row
    List<SinkEvent> twice = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      versions[7]++;
      SparkReadsMeshlakeTablesTest.Change c = new SparkReadsMeshlakeTablesTest.Change("w3", "I-7", versions[7], false,
          List.of("twice"), IssueStatus.forNumber(1 + i));
      changes.add(c);
      twice.add(SparkReadsMeshlakeTablesTest.event(c, manifest, offset++));
    }
    writer.write(twice, offset - 1);
    DeltaTable table = writer.table();
    assertThat(table.files(table.latest(), Map.of(), f -> true)).as("rows replaced in deletion vectors")
        .anyMatch(f -> f.deletionVector().isPresent())
        .anyMatch(f -> f.numRecords() == 2 && f.deletionVector().map(dv -> dv.cardinality() == 1).orElse(false));
    assertAllReadersSeeTheOracle(store, table, changes);
    writer.close();

    // Phase 2: the owner compacts (low thresholds), then keeps merging.
    writer = writer(store, new MergeOnReadMerge.CompactionPolicy(0.05, 2, 64 << 20, 1 << 30));
    for (int b = 0; b < 3; b++) {
      offset = batch(writer, manifest, random, changes, versions, offset, 40, false);
    }
    assertThat(writer.compactionStats().compactions()).isPositive();
    assertThat(writer.compactionStats().deletedRowsPurged()).isPositive();
    List<TableFile> after = table.files(table.latest(), Map.of(), f -> true);
    assertAllReadersSeeTheOracle(store, table, changes);
    assertThat(after).isNotEmpty();
    writer.close();
  }

  long batch(MergeBatchWriter writer, EntityManifest manifest, Random random, List<SparkReadsMeshlakeTablesTest.Change> changes,
      long[] versions, long offset, int size, boolean everyEntity) {
    List<SinkEvent> events = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      int e = everyEntity ? i : random.nextInt(versions.length);
      versions[e]++;
      SparkReadsMeshlakeTablesTest.Change c = new SparkReadsMeshlakeTablesTest.Change("w" + (e % 4), "I-" + e, versions[e],
          !everyEntity && random.nextInt(20) == 0, List.of("l" + random.nextInt(3)), IssueStatus.forNumber(1 + random.nextInt(6)));
      changes.add(c);
      events.add(SparkReadsMeshlakeTablesTest.event(c, manifest, offset++));
    }
    writer.write(events, offset - 1);
    return offset;
  }

  void assertAllReadersSeeTheOracle(LocalTableStore store, DeltaTable table, List<SparkReadsMeshlakeTablesTest.Change> changes)
      throws Exception {
    Map<String, Long> expected = new TreeMap<>();
    Map<String, SparkReadsMeshlakeTablesTest.Change> winners = new TreeMap<>();
    changes.forEach(c -> winners.merge(c.workspace() + "/" + c.id(), c, (a, b) -> b.version() > a.version() ? b : a));
    winners.forEach((k, c) -> {
      if (!c.tombstone()) {
        expected.put(k, c.version());
      }
    });

    Map<String, Long> bySpark = new TreeMap<>();
    for (Row r : spark.read().format("delta").load(table.path()).selectExpr("workspace_id", "issue_id", "_version").collectAsList()) {
      assertThat(bySpark.put(r.getString(0) + "/" + r.getString(1), r.getLong(2))).as("Spark: one row per issue").isNull();
    }
    assertThat(bySpark).as("delta-spark").isEqualTo(expected);

    Map<String, Long> byKernel = new TreeMap<>();
    for (Map<String, Object> r : KernelReader.rows(store.engine(), table.path())) {
      assertThat(byKernel.put(r.get("workspace_id") + "/" + r.get("issue_id"), (Long) r.get("_version"))).as("Kernel: one row").isNull();
    }
    assertThat(byKernel).as("Delta Kernel").isEqualTo(expected);

    TableSchema schema = table.schema();
    Map<String, Long> byMeshlake = new TreeMap<>();
    for (Object[] r : TableScanner.readAll(table)) {
      byMeshlake.put(r[schema.indexOf("workspace_id")] + "/" + r[schema.indexOf("issue_id")], (Long) r[schema.indexOf("_version")]);
    }
    assertThat(byMeshlake).as("meshlake's scanner").isEqualTo(expected);

    // lake-query: DuckDB over the snapshot's files, dropping the positions the vectors mark, one
    // workspace at a time (row-level security).
    Map<String, Long> byLakeQuery = new TreeMap<>();
    try (io.meshlake.query.LakeQuery lakeQuery = new io.meshlake.query.LakeQuery(
        io.meshlake.query.LakeQueryConfig.forRoot(store.root()).withMaxRows(100_000))) {
      for (String workspace : List.of("w0", "w1", "w2", "w3")) {
        var result = lakeQuery.query(workspace, "SELECT workspace_id, issue_id, _version FROM jira_issue_mor");
        for (List<Object> r : result.rows()) {
          assertThat(byLakeQuery.put(r.get(0) + "/" + r.get(1), ((Number) r.get(2)).longValue())).as("lake-query: one row").isNull();
        }
      }
    }
    assertThat(byLakeQuery).as("lake-query").isEqualTo(expected);
  }
}
