package io.meshlake.table.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.Snapshot;
import io.meshlake.table.parquet.DataFileReader;
import io.meshlake.table.parquet.DataFileWriter;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeltaTableTest {

  static final TableSchema SCHEMA = new TableSchema(List.of(
      new ColumnType.Field("workspace_id", ColumnType.Primitive.STRING),
      new ColumnType.Field("issue_id", ColumnType.Primitive.STRING),
      new ColumnType.Field("_version", ColumnType.Primitive.LONG),
      new ColumnType.Field("created_at", ColumnType.Primitive.TIMESTAMP),
      new ColumnType.Field("labels", new ColumnType.Array(ColumnType.Primitive.STRING)),
      new ColumnType.Field("project", new ColumnType.Struct(List.of(
          new ColumnType.Field("id", ColumnType.Primitive.STRING),
          new ColumnType.Field("votes", ColumnType.Primitive.INT))))));

  @TempDir Path dir;

  @Test
  void filesAndTheTxnVersionCommitTogetherAndReadBack() throws Exception {
    LocalTableStore store = new LocalTableStore(dir);
    DeltaTable table = DeltaTable.openOrCreate(store, "t", SCHEMA, List.of("workspace_id"), DeltaTable.defaultProperties(10));
    Snapshot empty = table.latest();
    assertThat(table.transactionVersion(empty, "app")).isEmpty();

    String relative = "workspace_id=w1/part-0-a.parquet";
    DataFileWriter writer = new DataFileWriter(store, table.path(), relative, table.fileSchema(), CompressionCodecName.SNAPPY, 8 << 20);
    writer.write(new Object[] {"i-1", 3L, 1_700_000_000_000_000L, List.of("a", "b"), new Object[] {"p1", 4}});
    writer.write(new Object[] {"i-2", 1L, null, List.of(), null});
    writer.close();

    DeltaTable.Committed committed = table.commit(empty,
        DeltaTable.Changes.of(List.of(new NewFile(writer.result(), Map.of("workspace_id", "w1"), Map.of("meshlake.owner", "0"))), List.of()),
        Optional.of("app"), 41L, Map.of("issue_id", ColumnType.Primitive.STRING));
    assertThat(committed.snapshot().getVersion()).isEqualTo(1);
    assertThat(committed.added()).singleElement().satisfies(f -> assertThat(f.max()).containsEntry("issue_id", "i-2"));
    assertThat(table.transactionVersion(table.latest(), "app")).contains(41L);

    List<TableFile> files = table.files(table.latest(), Map.of("issue_id", ColumnType.Primitive.STRING), f -> true);
    assertThat(files).singleElement().satisfies(f -> {
      assertThat(f.path()).isEqualTo(relative);
      assertThat(f.partitionValues()).containsEntry("workspace_id", "w1");
      assertThat(f.numRecords()).isEqualTo(2);
      assertThat(f.min()).containsEntry("issue_id", "i-1");
      assertThat(f.max()).containsEntry("issue_id", "i-2");
      assertThat(f.tags()).containsEntry("meshlake.owner", "0");
    });

    List<Object[]> rows = DataFileReader.readAll(store.parquetInput(table.path() + "/" + relative), table.fileSchema());
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).containsExactly("i-1", 3L, 1_700_000_000_000_000L, List.of("a", "b"), rows.get(0)[4]);
    assertThat((Object[]) rows.get(0)[4]).containsExactly("p1", 4);
    assertThat(rows.get(1)[3]).isEqualTo(List.of());

    // Replacing the file: remove + add in one commit.
    String relative2 = "workspace_id=w1/part-0-b.parquet";
    DataFileWriter writer2 = new DataFileWriter(store, table.path(), relative2, table.fileSchema(), CompressionCodecName.SNAPPY, 8 << 20);
    writer2.write(new Object[] {"i-1", 4L, null, null, null});
    writer2.close();
    table.commit(table.latest(), DeltaTable.Changes.of(
        List.of(new NewFile(writer2.result(), Map.of("workspace_id", "w1"), Map.of())), files), Optional.of("app"), 50L, Map.of());
    assertThat(table.files(table.latest(), Map.of(), f -> true)).extracting(TableFile::path).containsExactly(relative2);
    assertThat(table.transactionVersion(table.latest(), "app")).contains(50L);

    // DuckDB reads the file the sink wrote.
    try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs = duck.createStatement().executeQuery(
            "SELECT issue_id, _version FROM read_parquet('" + dir.resolve("t").resolve(relative2) + "')")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("i-1");
      assertThat(rs.getLong(2)).isEqualTo(4L);
    }
    assertThat(Files.list(dir.resolve("t/_delta_log")).map(p -> p.getFileName().toString()))
        .contains("00000000000000000000.json", "00000000000000000001.json", "00000000000000000002.json");
  }

  @Test
  void checkpointsAreWrittenInTheBackgroundAndReadersLoadTheTableThroughThem() throws Exception {
    LocalTableStore store = new LocalTableStore(dir);
    DeltaTable table = DeltaTable.openOrCreate(store, "cp", SCHEMA, List.of("workspace_id"), DeltaTable.defaultProperties(3));
    for (int i = 1; i <= 7; i++) {
      String relative = "workspace_id=w1/part-0-" + i + ".parquet";
      DataFileWriter writer = new DataFileWriter(store, table.path(), relative, table.fileSchema(), CompressionCodecName.SNAPPY, 8 << 20);
      writer.write(new Object[] {"i-" + i, (long) i, null, List.of(), null});
      writer.close();
      table.commit(table.latest(), DeltaTable.Changes.of(List.of(new NewFile(writer.result(), Map.of("workspace_id", "w1"), Map.of())),
          List.of()), Optional.of("app"), i, Map.of());
    }
    assertThat(table.awaitCheckpoints(java.time.Duration.ofMinutes(2))).isTrue();
    // Versions 0..7: checkpoints are called for at versions 3 and 6 (a queued one may be replaced
    // by a newer one, never dropped without one), and _last_checkpoint names the newest.
    List<String> log;
    try (var files = Files.list(dir.resolve("cp/_delta_log"))) {
      log = files.map(p -> p.getFileName().toString()).toList();
    }
    assertThat(log).contains("00000000000000000006.checkpoint.parquet", "_last_checkpoint");
    assertThat(Files.readString(dir.resolve("cp/_delta_log/_last_checkpoint"))).contains("\"version\":6");
    // A reader opening the table now starts from the checkpoint and still sees all seven files.
    DeltaTable reopened = DeltaTable.open(store, "cp");
    assertThat(reopened.files(reopened.latest(), Map.of(), f -> true)).hasSize(7);
    assertThat(reopened.transactionVersion(reopened.latest(), "app")).contains(7L);
  }

  @Test
  void anExistingTableWithAnotherSchemaIsRefusedByName() {
    LocalTableStore store = new LocalTableStore(dir);
    DeltaTable.openOrCreate(store, "t", SCHEMA, List.of("workspace_id"), Map.of());
    TableSchema other = new TableSchema(List.of(new ColumnType.Field("workspace_id", ColumnType.Primitive.STRING)));
    assertThatThrownBy(() -> DeltaTable.openOrCreate(store, "t", other, List.of("workspace_id"), Map.of()))
        .hasMessageContaining("has schema").hasMessageContaining("write to a new table");
  }
}
