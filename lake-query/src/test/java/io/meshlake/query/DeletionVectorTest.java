package io.meshlake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.table.delta.DeletionVectors;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

/**
 * Tables whose files carry deletion vectors, written with lake-table as the merge-on-read sink
 * writes them: a deleted row is never returned, and cannot be recovered by reading the file.
 */
class DeletionVectorTest {

  @TempDir Path root;

  /** acme's users a-0..a-3 in one file, globex's g-0 in another; returns acme's file. */
  private TableFile writeUsers(LakeFixture lake) {
    TableFile acme = lake.write("jira_user", LakeFixture.JIRA_USER, "acme", Stream.of("a-0", "a-1", "a-2", "a-3")
        .map(a -> LakeFixture.userRow("acme", a)).toList());
    lake.write("jira_user", LakeFixture.JIRA_USER, "globex", List.<Object[]>of(LakeFixture.userRow("globex", "g-0")));
    return acme;
  }

  /** Marks the rows at {@code positions} of the file deleted, in one commit; returns the file as it is now. */
  private static TableFile delete(LakeFixture lake, TableFile file, int... positions) throws Exception {
    DeltaTable table = lake.table("jira_user", LakeFixture.JIRA_USER);
    table.enableDeletionVectors();
    TableFile.DeletionVector dv = DeletionVectors.write(lake.store, table.path(), List.of(RoaringBitmap.bitmapOf(positions))).get(0);
    DeltaTable.Committed committed = table.commit(table.latest(),
        new DeltaTable.Changes(List.of(), List.of(), List.of(new DeltaTable.DeletionVectorUpdate(file, dv)), true), Optional.empty(), 0,
        Map.of());
    return committed.added().get(0);
  }

  @Test
  void rowsADeletionVectorMarksAreNeverReturned() throws Exception {
    LakeFixture lake = new LakeFixture(root);
    TableFile file = delete(lake, writeUsers(lake), 1);
    try (LakeQuery query = new LakeQuery(LakeQueryConfig.forRoot(root))) {
      assertThat(query.query("acme", "SELECT account_id FROM jira_user ORDER BY 1").rows())
          .containsExactly(List.of("a-0"), List.of("a-2"), List.of("a-3"));
      assertThat(query.tables("acme")).singleElement().satisfies(t -> assertThat(t.rows()).isEqualTo(3));

      // A later vector of the same file deletes more (it includes the earlier positions).
      delete(lake, file, 1, 3);
      assertThat(query.query("acme", "SELECT account_id FROM jira_user ORDER BY 1").rows()).containsExactly(List.of("a-0"), List.of("a-2"));
      // Scope and deletion vector together.
      QueryScope scope = QueryScope.none().restrict("jira_user", "account_id", List.of("a-1", "a-2"));
      assertThat(query.query("acme", scope, "SELECT account_id FROM jira_user", Map.of()).rows()).containsExactly(List.of("a-2"));
      assertThat(query.query("globex", "SELECT account_id FROM jira_user").rows()).containsExactly(List.of("g-0"));
    }
  }

  @Test
  void theFileOfATableWithDeletionsIsNotReadableAfterTheLock() throws Exception {
    LakeFixture lake = new LakeFixture(root);
    TableFile file = delete(lake, writeUsers(lake), 0);
    Path data = root.resolve("jira_user").resolve(file.path());
    LakeTables tables = new LakeTables(root);
    try (DuckSession session = DuckSession.open(LakeQueryConfig.forRoot(root))) {
      List<Path> readable = new WorkspaceViews(DeletedRows.fromDeletionVectors())
          .install(session, List.of(tables.forWorkspace("jira_user", "acme")), "acme", QueryScope.none());
      assertThat(readable).isEmpty();
      session.lock(readable);
      try (Statement statement = session.statement()) {
        assertThatThrownBy(() -> statement.executeQuery("SELECT count(*) FROM read_parquet('" + data + "')"))
            .isInstanceOf(SQLException.class).hasMessageContaining("Permission Error");
      }
    }
  }

  @Test
  void aCorruptedDeletionVectorIsAnErrorNotAGuess() throws Exception {
    LakeFixture lake = new LakeFixture(root);
    delete(lake, writeUsers(lake), 2);
    Path dvFile;
    try (Stream<Path> files = Files.list(root.resolve("jira_user"))) {
      dvFile = files.filter(p -> p.getFileName().toString().startsWith("deletion_vector_")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(dvFile);
    bytes[bytes.length - 6] ^= 0x5a;
    Files.write(dvFile, bytes);
    try (LakeQuery query = new LakeQuery(LakeQueryConfig.forRoot(root))) {
      assertThatThrownBy(() -> query.query("acme", "SELECT count(*) FROM jira_user"))
          .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.INTERNAL))
          .hasMessageContaining("could not read the deletion vector of workspace_id=acme/");
      assertThat(query.metrics().count("error")).isEqualTo(1);
    }
  }

  @Test
  void aQueryThatFindsNoFreeSlotWithinItsTimeoutIsBusy() throws Exception {
    LakeFixture lake = new LakeFixture(root);
    delete(lake, writeUsers(lake), 0);
    // Deletion vectors are read while a query holds its slot: a reader that blocks keeps the slot.
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch holding = new CountDownLatch(1);
    DeletedRows blocking = (table, file) -> {
      holding.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new long[0];
    };
    LakeQueryConfig config = LakeQueryConfig.forRoot(root).withMaxConcurrentQueries(1).withTimeout(Duration.ofMillis(800));
    try (LakeQuery query = new LakeQuery(config, blocking)) {
      CompletableFuture<QueryResult> first = CompletableFuture.supplyAsync(() -> query.query("acme", "SELECT count(*) FROM jira_user"));
      assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(() -> query.query("globex", "SELECT 1"))
          .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.kind()).isEqualTo(QueryException.Kind.BUSY))
          .hasMessageContaining("1 queries are already running");
      release.countDown();
      // The first query outlived its own timeout while it held the slot.
      assertThatThrownBy(first::join).hasCauseInstanceOf(QueryException.class).hasMessageContaining("timeout of 800 ms");
      assertThat(query.metrics().count("busy")).isEqualTo(1);
      assertThat(query.metrics().count("timeout")).isEqualTo(1);
      assertThat(query.query("globex", "SELECT 1").rows()).containsExactly(List.of(1));
    }
  }
}
