package io.meshlake.table.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.metrics.TransactionReport;
import io.delta.kernel.utils.CloseableIterable;
import io.meshlake.table.parquet.DataFileWriter;
import io.meshlake.table.storage.LocalTableStore;
import io.meshlake.table.storage.TableStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits of one process's writers to one table: in turn on the newest snapshot, never past a check they need. */
class CommitSequencerTest {

  @TempDir Path dir;
  private final List<Long> attempts = new CopyOnWriteArrayList<>();

  /** The local store, with Kernel's transaction reports collected (commit attempts per commit). */
  private TableStore store() {
    LocalTableStore local = new LocalTableStore(dir);
    TableStore[] self = new TableStore[1];
    self[0] = (TableStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {TableStore.class}, (proxy, method, args) -> {
      if (method.getName().equals("engine")) {
        return TableEngine.create(self[0], List.of(report -> {
          if (report instanceof TransactionReport t) {
            attempts.add(t.getTransactionMetrics().getNumCommitAttempts());
          }
        }));
      }
      try {
        return method.invoke(local, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
    return self[0];
  }

  private static NewFile file(TableStore store, DeltaTable table, String name) throws Exception {
    String relative = "workspace_id=w1/" + name + ".parquet";
    DataFileWriter writer = new DataFileWriter(store, table.path(), relative, table.fileSchema(), CompressionCodecName.SNAPPY, 8 << 20);
    writer.write(new Object[] {name, 1L, null, List.of(), null});
    writer.close();
    return new NewFile(writer.result(), Map.of("workspace_id", "w1"), Map.of("meshlake.owner", name.substring(0, 2)));
  }

  private DeltaTable table(TableStore store) {
    return DeltaTable.openOrCreate(store, "t", DeltaTableTest.SCHEMA, List.of("workspace_id"), DeltaTable.defaultProperties(100));
  }

  @Test
  void writersOfOneProcessCommitInTurnWithoutConflicting() throws Exception {
    TableStore store = store();
    DeltaTable table = table(store);
    Snapshot p0 = table.latest();
    Snapshot p1 = p0;
    attempts.clear();
    for (int i = 0; i < 4; i++) {
      // Each writer commits on its own (by now stale) snapshot, as a task does between its flushes.
      p0 = table.commit(p0, DeltaTable.Changes.of(List.of(file(store, table, "p0-" + i)), List.of()), "p0", Optional.of("p0"), i, Map.of()).snapshot();
      p1 = table.commit(p1, DeltaTable.Changes.of(List.of(file(store, table, "p1-" + i)), List.of()), "p1", Optional.of("p1"), i, Map.of()).snapshot();
    }
    assertThat(attempts).hasSize(8).containsOnly(1L);
    assertThat(p1.getVersion()).isEqualTo(p0.getVersion() + 1).isEqualTo(table.latest().getVersion());
    assertThat(table.files(table.latest(), Map.of(), f -> true)).hasSize(8);
    assertThat(table.transactionVersion(table.latest(), "p0")).contains(3L);
    assertThat(table.transactionVersion(table.latest(), "p1")).contains(3L);
  }

  @Test
  void aWriterWhoseFilesAnotherCommitOfTheSameIdentityRemovedIsStillRefused() throws Exception {
    TableStore store = store();
    DeltaTable table = table(store);
    table.commit(table.latest(), DeltaTable.Changes.of(List.of(file(store, table, "p0-a")), List.of()), "p0", Optional.of("p0"), 1, Map.of());
    Snapshot stale = table.latest();
    List<TableFile> owned = table.files(stale, Map.of(), f -> true);
    // The partition moved to another task of this process, which replaced the file.
    table.commit(stale, DeltaTable.Changes.of(List.of(file(store, table, "p0-b")), owned), "p0", Optional.of("p0"), 2, Map.of());
    // The old owner's late commit must not resurrect or double-remove it.
    assertThatThrownBy(() -> table.commit(stale, DeltaTable.Changes.of(List.of(file(store, table, "p0-c")), owned), "p0",
        Optional.of("p0"), 3, Map.of()))
        .isInstanceOf(ConcurrentWriteException.class);
    assertThat(table.files(table.latest(), Map.of(), f -> true)).extracting(TableFile::path).containsExactly("workspace_id=w1/p0-b.parquet");
  }

  @Test
  void aCommitFromAnotherProcessSendsWritersBackToKernelsConflictCheck() throws Exception {
    TableStore store = store();
    DeltaTable table = table(store);
    Snapshot p0 = table.commit(table.latest(), DeltaTable.Changes.of(List.of(file(store, table, "p0-a")), List.of()), "p0",
        Optional.of("p0"), 1, Map.of()).snapshot();
    List<TableFile> owned = table.files(p0, Map.of(), f -> true);
    // Another process removes p0's file (e.g. an erasure), committing straight through Kernel.
    var other = TableManager.loadSnapshot(table.path()).build(store.engine())
        .buildUpdateTableTransaction("elsewhere", Operation.MANUAL_UPDATE).build(store.engine());
    other.commit(store.engine(), CloseableIterable.inMemoryIterable(
        io.delta.kernel.internal.util.Utils.toCloseableIterator(List.of(DeltaActions.remove(owned.get(0), true)).iterator())));
    // p1's commit rebases over it through Kernel (two attempts), and is then not a base for p0.
    attempts.clear();
    table.commit(p0, DeltaTable.Changes.of(List.of(file(store, table, "p1-a")), List.of()), "p1", Optional.of("p1"), 1, Map.of());
    assertThat(attempts).containsExactly(2L);
    assertThatThrownBy(() -> table.commit(p0, DeltaTable.Changes.of(List.of(file(store, table, "p0-b")), owned), "p0",
        Optional.of("p0"), 2, Map.of()))
        .isInstanceOf(ConcurrentWriteException.class);
  }
}
