package io.meshlake.table.delta;

import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.ConcurrentWriteException;
import io.delta.kernel.exceptions.TableAlreadyExistsException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.transaction.DataLayoutSpec;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.TableStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Delta table, read and committed through Delta Kernel. Commits are atomic (put-if-absent of
 * the next log version); each can carry a {@code txn} action recording how far a Kafka partition
 * has been written, in the same commit as the data.
 */
public final class DeltaTable {

  private static final Logger LOG = LoggerFactory.getLogger(DeltaTable.class);
  private static final String ENGINE_INFO = "meshlake-delta-sink/0.1";

  private final TableStore store;
  private final Engine engine;
  private final String path;
  private final URI root;
  private final TableSchema schema;
  private final List<String> partitionColumns;
  private final TableSchema fileSchema;

  private DeltaTable(TableStore store, String path, TableSchema schema, List<String> partitionColumns) {
    this.store = store;
    this.engine = store.engine();
    this.path = path;
    this.root = URI.create(path.endsWith("/") ? path : path + "/");
    this.schema = schema;
    this.partitionColumns = List.copyOf(partitionColumns);
    this.fileSchema = schema.without(partitionColumns);
  }

  /**
   * Opens the table at {@code path} (qualified by the store), creating it with the schema,
   * partition columns and table properties when it does not exist. An existing table must have
   * exactly this schema and these partition columns.
   */
  public static DeltaTable openOrCreate(TableStore store, String path, TableSchema schema, List<String> partitionColumns,
      Map<String, String> properties) {
    String qualified = store.qualify(path);
    DeltaTable table = new DeltaTable(store, qualified, schema, partitionColumns);
    for (int attempt = 0; ; attempt++) {
      try {
        Snapshot snapshot = table.latest();
        table.checkCompatible(snapshot);
        return table;
      } catch (TableNotFoundException notYet) {
        try {
          table.create(properties);
          LOG.info("created Delta table {} partitioned by {}", qualified, partitionColumns);
        } catch (TableAlreadyExistsException | ConcurrentWriteException raced) {
          // another task created it first: load it on the next attempt
          if (attempt > 5) {
            throw new IllegalStateException("could not create or open Delta table " + qualified, raced);
          }
        }
      }
    }
  }

  /** Opens an existing table with the schema and partition columns its log declares. */
  public static DeltaTable open(TableStore store, String path) {
    String qualified = store.qualify(path);
    Snapshot snapshot = TableManager.loadSnapshot(qualified).build(store.engine());
    return new DeltaTable(store, qualified, KernelTypes.tableSchema(snapshot.getSchema()), snapshot.getPartitionColumnNames());
  }

  private void create(Map<String, String> properties) {
    StructType structType = KernelTypes.structType(schema);
    List<Column> partitionRefs = partitionColumns.stream().map(Column::new).toList();
    Transaction txn = TableManager.buildCreateTableTransaction(path, structType, ENGINE_INFO)
        .withTableProperties(properties)
        .withDataLayoutSpec(partitionRefs.isEmpty() ? DataLayoutSpec.noDataLayout() : DataLayoutSpec.partitioned(partitionRefs))
        .build(engine);
    commit(txn, List.of());
  }

  private void checkCompatible(Snapshot snapshot) {
    StructType expected = KernelTypes.structType(schema);
    if (!snapshot.getSchema().equivalent(expected)) {
      throw new IllegalStateException("Delta table " + path + " has schema " + snapshot.getSchema().toJson()
          + " but the sink writes " + expected.toJson()
          + "; write to a new table (or migrate this one) when a model's columns change");
    }
    if (!snapshot.getPartitionColumnNames().equals(partitionColumns)) {
      throw new IllegalStateException("Delta table " + path + " is partitioned by " + snapshot.getPartitionColumnNames()
          + " but the sink partitions by " + partitionColumns);
    }
  }

  public Snapshot latest() {
    return TableManager.loadSnapshot(path).build(engine);
  }

  public String path() {
    return path;
  }

  public URI root() {
    return root;
  }

  public TableStore store() {
    return store;
  }

  public TableSchema schema() {
    return schema;
  }

  /** The columns stored in data files (all but the partition columns). */
  public TableSchema fileSchema() {
    return fileSchema;
  }

  public List<String> partitionColumns() {
    return partitionColumns;
  }

  /** The Kafka offset recorded for {@code appId} in the snapshot, if any. */
  public Optional<Long> transactionVersion(Snapshot snapshot, String appId) {
    return snapshot.getLatestTransactionVersion(engine, appId);
  }

  /**
   * The live files of the snapshot that pass {@code filter}, with min/max statistics of the given
   * columns (empty when a file has none).
   */
  public List<TableFile> files(Snapshot snapshot, Map<String, ColumnType.Primitive> boundColumns, Predicate<TableFile> filter) {
    List<TableFile> files = new ArrayList<>();
    Scan scan = snapshot.getScanBuilder().build();
    try (CloseableIterator<FilteredColumnarBatch> batches = scan.getScanFiles(engine, true)) {
      while (batches.hasNext()) {
        FilteredColumnarBatch batch = batches.next();
        try (CloseableIterator<Row> rows = batch.getRows()) {
          while (rows.hasNext()) {
            TableFile file = DeltaActions.tableFile(rows.next(), boundColumns);
            if (filter.test(file)) {
              files.add(file);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the files of " + path, e);
    }
    return files;
  }

  /**
   * What one commit changes: files added, files removed, and files whose deletion vector grows
   * (more of their rows deleted). {@code dataChange=false} marks a rewrite that changes no rows
   * (compaction).
   */
  public record Changes(List<NewFile> adds, List<TableFile> removes, List<DeletionVectorUpdate> deletionVectors, boolean dataChange) {
    public static Changes of(List<NewFile> adds, List<TableFile> removes) {
      return new Changes(adds, removes, List.of(), true);
    }

    public boolean isEmpty() {
      return adds.isEmpty() && removes.isEmpty() && deletionVectors.isEmpty();
    }
  }

  /** A live file and the deletion vector it gets (which includes the rows its previous one deleted). */
  public record DeletionVectorUpdate(TableFile file, TableFile.DeletionVector deletionVector) {}

  /** The committed snapshot and the files the commit added, as live files of the new snapshot. */
  public record Committed(Snapshot snapshot, List<TableFile> added) {}

  /**
   * Commits the changes on top of {@code readSnapshot}, with {@code txn(appId, version)} when an
   * appId is given. Kernel rebases over concurrent commits of other writers (which never touch this
   * writer's files); a concurrent commit for the same appId means another writer owns the
   * partition now, and fails with {@link ConcurrentTransactionException}.
   *
   * @param boundColumns columns whose min/max the returned added files should carry
   */
  public Committed commit(Snapshot readSnapshot, Changes changes, Optional<String> appId, long txnVersion,
      Map<String, ColumnType.Primitive> boundColumns) throws ConcurrentWriteException {
    return commit(readSnapshot, changes, appId.orElse(null), appId, txnVersion, boundColumns);
  }

  /**
   * As {@link #commit(Snapshot, Changes, Optional, long, Map)}, for a writer that owns the files it
   * changes: {@code writer} names it, so that commits of this process's writers to the same table are
   * sequenced ({@link CommitSequencer}) instead of conflicting with each other.
   */
  public Committed commit(Snapshot readSnapshot, Changes changes, String writer, Optional<String> appId, long txnVersion,
      Map<String, ColumnType.Primitive> boundColumns) throws ConcurrentWriteException {
    List<Row> actions = new ArrayList<>(changes.adds().size() + changes.removes().size());
    for (TableFile removed : changes.removes()) {
      actions.add(DeltaActions.remove(removed, changes.dataChange()));
    }
    List<TableFile> added = new ArrayList<>();
    for (DeletionVectorUpdate update : changes.deletionVectors()) {
      actions.add(DeltaActions.remove(update.file(), true));
      var add = DeltaActions.withDeletionVector(update.file(), update.deletionVector());
      actions.add(DeltaActions.addAction(add));
      TableFile f = update.file();
      // Same file, same statistics: only the vector changes, so nothing needs re-reading.
      added.add(new TableFile(f.path(), f.partitionValues(), f.sizeBytes(), f.numRecords(), f.min(), f.max(), f.tags(),
          Optional.of(update.deletionVector()), add));
    }
    for (NewFile file : changes.adds()) {
      String qualified = store.qualify(path + "/" + file.file().relativePath());
      var add = DeltaActions.add(fileSchema, root, qualified, file, changes.dataChange(), file.deletionVector());
      actions.add(DeltaActions.addAction(add));
      added.add(DeltaActions.tableFile(add, boundColumns));
    }
    CommitSequencer sequencer = CommitSequencer.of(path);
    TransactionCommitResult result;
    Snapshot committed;
    synchronized (sequencer) {
      Snapshot base = sequencer.base(readSnapshot, writer);
      var builder = base.buildUpdateTableTransaction(ENGINE_INFO, Operation.STREAMING_UPDATE).withMaxRetries(50);
      if (appId.isPresent()) {
        builder = builder.withTransactionId(appId.get(), txnVersion);
      }
      Transaction txn = builder.build(engine);
      result = txn.commit(engine, CloseableIterable.inMemoryIterable(toCloseable(actions)));
      committed = result.getPostCommitSnapshot().orElseGet(this::latest);
      sequencer.committed(result.getVersion(), committed, writer);
    }
    runHooks(result);
    return new Committed(committed, added);
  }

  private Snapshot commit(Transaction txn, List<Row> actions) {
    TransactionCommitResult result = txn.commit(engine, CloseableIterable.inMemoryIterable(toCloseable(actions)));
    runHooks(result);
    return result.getPostCommitSnapshot().orElseGet(this::latest);
  }

  private void runHooks(TransactionCommitResult result) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      // Checkpoints and the cheap per-version checksum help every reader; the full checksum and
      // log compaction would re-read the table on the commit path. Checkpoints are written in the
      // background (see Checkpointer): the commit is durable without them.
      if (hook.getType() == PostCommitHook.PostCommitHookType.CHECKPOINT) {
        Checkpointer.INSTANCE.submit(path, engine, hook, result.getVersion());
      } else if (hook.getType() == PostCommitHook.PostCommitHookType.CHECKSUM_SIMPLE) {
        try {
          hook.threadSafeInvoke(engine);
        } catch (IOException | RuntimeException | LinkageError e) {
          // A missing checksum only slows readers down; the commit itself is durable, so nothing
          // after it may make the caller believe it failed.
          LOG.warn("{} of {} at version {} failed: {}", hook.getType(), path, result.getVersion(), e.toString());
        }
      }
    }
  }

  /**
   * Waits until the checkpoints this JVM's commits to the table asked for are written (or failed):
   * for callers that hand the table to a reader that should find them, and for tests.
   *
   * @return false if {@code timeout} ran out first
   */
  public boolean awaitCheckpoints(java.time.Duration timeout) throws InterruptedException {
    return Checkpointer.INSTANCE.await(path, timeout);
  }

  private static <T> CloseableIterator<T> toCloseable(List<T> list) {
    var it = list.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  /** Whether the table may carry deletion vectors (its protocol has the deletionVectors feature). */
  public boolean deletionVectorsEnabled(Snapshot snapshot) {
    return snapshot.getProtocol().getWriterFeatures().contains("deletionVectors");
  }

  /** Turns the deletionVectors table feature on (a protocol upgrade) if it is not on yet. */
  public void enableDeletionVectors() {
    Snapshot snapshot = latest();
    if (deletionVectorsEnabled(snapshot)) {
      return;
    }
    Transaction txn = snapshot.buildUpdateTableTransaction(ENGINE_INFO, Operation.MANUAL_UPDATE)
        .withTablePropertiesAdded(Map.of(DELETION_VECTORS, "true"))
        .build(engine);
    commit(txn, List.of());
    LOG.info("enabled deletion vectors on {}", path);
  }

  public static final String DELETION_VECTORS = "delta.enableDeletionVectors";

  /** Table properties every meshlake table gets. */
  public static Map<String, String> defaultProperties(int checkpointInterval) {
    Map<String, String> props = new HashMap<>();
    props.put("delta.checkpointInterval", Integer.toString(checkpointInterval));
    return props;
  }
}
