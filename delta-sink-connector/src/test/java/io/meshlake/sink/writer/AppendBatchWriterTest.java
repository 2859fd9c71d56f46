package io.meshlake.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableScanner;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Raw append writes events into data files as they arrive: nothing is visible before the commit, a
 * discarded batch leaves no files, and what a table already records is not written again.
 */
class AppendBatchWriterTest {

  // Small files, so a batch rolls files within a workspace.
  static final WriterSettings SETTINGS = new WriterSettings(16 << 10, 1 << 20, 3, Duration.ofMillis(10), 1_000);

  @TempDir Path dir;

  record Setup(AppendBatchWriter writer, DeltaTable table) {}

  Setup open(LocalTableStore store) {
    RawTableLayout layout = new RawTableLayout(MergeOnReadMergeTest.CATALOG.byEntityType(1).orElseThrow());
    DeltaTable table = DeltaTable.openOrCreate(store, "raw_jira_issue", layout.layout().schema(), layout.layout().partitionColumns(),
        DeltaTable.defaultProperties(10));
    OwnedTable owned = new OwnedTable(table, "test/facsimile.jira/0", Map.of(), false, 3, Duration.ofMillis(10));
    return new Setup(new AppendBatchWriter(Map.of(1, layout), Map.of(1, owned), 0, SETTINGS), table);
  }

  static SinkEvent event(long offset) {
    return event(offset, "ws" + (offset % 3));
  }

  static SinkEvent event(long offset, String workspace) {
    return MergeOnReadMergeTest.event(new MergeOnReadMergeTest.Change(workspace, "I-" + offset, offset + 1, false,
        List.of("a", "b"), IssueStatus.ISSUE_STATUS_OPEN), offset);
  }

  /** Adds the events of offsets [from, to) to the open batch. */
  static void addRange(AppendBatchWriter writer, long from, long to) {
    for (long offset = from; offset < to; offset++) {
      writer.add(event(offset));
    }
  }

  static List<Long> offsets(DeltaTable table) {
    TableSchema s = table.schema();
    List<Long> offsets = new ArrayList<>();
    for (Object[] r : TableScanner.readAll(table)) {
      offsets.add((Long) r[s.indexOf("_kafka_offset")]);
    }
    offsets.sort(null);
    return offsets;
  }

  static long parquetFiles(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("_delta_log")).count();
    }
  }

  @Test
  void eventsAreWrittenAsTheyArriveAndBecomeVisibleAtTheCommitOnly() throws IOException {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    Setup s = open(store);
    addRange(s.writer(), 0, 3_000);
    assertThat(parquetFiles(dir.resolve("lake"))).as("files the open batch rolled past the target size are on disk").isGreaterThan(0);
    assertThat(offsets(s.table())).as("but no snapshot refers to them").isEmpty();

    s.writer().commit(2_999);
    assertThat(offsets(s.table())).hasSize(3_000).startsWith(0L).endsWith(2_999L).doesNotHaveDuplicates();
    int topic = s.table().schema().indexOf("_kafka_topic");
    assertThat(TableScanner.readAll(s.table())).as("each row names the topic it was read from")
        .allSatisfy(r -> assertThat(r[topic]).isEqualTo("model.jira_issue"));
    assertThat(s.table().transactionVersion(s.table().latest(), "test/facsimile.jira/0")).contains(2_999L);
    assertThat(s.writer().resumeOffset()).isEqualTo(3_000);

    // Re-delivered events the table already records are not written again.
    addRange(s.writer(), 2_950, 3_010);
    s.writer().commit(3_009);
    assertThat(offsets(s.table())).hasSize(3_010).doesNotHaveDuplicates();
  }

  @Test
  void aDiscardedBatchLeavesNoFilesAndNoCommit() throws IOException {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    Setup s = open(store);
    addRange(s.writer(), 0, 100);
    s.writer().commit(99);
    long committedFiles = parquetFiles(dir.resolve("lake"));
    long versionBefore = s.table().latest().getVersion();

    addRange(s.writer(), 100, 3_000);
    assertThat(parquetFiles(dir.resolve("lake"))).as("rolled files of the open batch").isGreaterThan(committedFiles);
    s.writer().discard();
    assertThat(parquetFiles(dir.resolve("lake"))).as("the open batch's files are deleted").isEqualTo(committedFiles);
    assertThat(s.table().latest().getVersion()).isEqualTo(versionBefore);
    assertThat(offsets(s.table())).hasSize(100);

    // The partition is read again from the table's txn and written once.
    Setup reopened = open(store);
    assertThat(reopened.writer().resumeOffset()).isEqualTo(100);
    addRange(reopened.writer(), 100, 3_000);
    reopened.writer().commit(2_999);
    assertThat(offsets(reopened.table())).hasSize(3_000).doesNotHaveDuplicates();
  }

  @Test
  void rowsSpreadOverManyWorkspacesAreNotHeldPastTheStagingBound() throws IOException {
    LocalTableStore store = new LocalTableStore(dir.resolve("lake"));
    Setup s = open(store);
    // 500 workspaces: no file's own chunk fills before the writer's bound does.
    int maxStaged = 0;
    for (long offset = 0; offset < 20_000; offset++) {
      s.writer().add(event(offset, "ws" + (offset % 500)));
      maxStaged = Math.max(maxStaged, s.writer().stagedRows());
    }
    assertThat(maxStaged).as("rows waiting in the files' chunks").isPositive().isLessThan(AppendBatchWriter.MAX_STAGED_ROWS);
    s.writer().commit(19_999);
    assertThat(s.writer().stagedRows()).isZero();
    assertThat(offsets(s.table())).hasSize(20_000).startsWith(0L).endsWith(19_999L).doesNotHaveDuplicates();
  }
}
