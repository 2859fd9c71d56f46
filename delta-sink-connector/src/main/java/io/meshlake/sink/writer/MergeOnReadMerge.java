package io.meshlake.sink.writer;

import io.meshlake.table.delta.DeletionVectors;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.NewFile;
import io.meshlake.table.delta.TableFile;
import io.meshlake.table.parquet.DataFileReader;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merge-on-read: the cost of a batch follows the batch, not the table. The owning task knows where
 * each of its entities' rows are ({@link KeyLocator}); a newer change writes its rows to the batch's
 * new files as it arrives and marks the replaced rows in the old file's deletion vector; a delete
 * only marks. One commit per
 * flush holds the new files, the grown deletion vectors (remove + add of the same file) and the
 * partition's {@code txn}. Between flushes the task compacts its own files once deleted rows or
 * small files pass their thresholds (dataChange=false), so no other writer and no maintenance window
 * is needed; {@link CompactionPacer} keeps each round to a share of the task's time.
 */
public final class MergeOnReadMerge implements MergeStrategy {

  private static final Logger LOG = LoggerFactory.getLogger(MergeOnReadMerge.class);

  /** When a partition's own files are compacted. */
  public record CompactionPolicy(double deletedFraction, int smallFiles, long smallFileBytes, long maxBytesPerRound) {}

  private final Path locatorDirectory;
  private final CompactionPolicy policy;
  private KeyLocator locator;
  private final Map<String, OwnedFile> files = new HashMap<>();
  private final Map<Integer, OwnedFile> byId = new HashMap<>();
  private int nextId;
  /** Rows found to be duplicates of a newer row when the locator was rebuilt: deleted at the next commit. */
  private final Map<Integer, RoaringBitmap> pendingDeletes = new HashMap<>();
  private MergeStats lastStats = new MergeStats(0, 0, 0, 0, 0);
  private long compactions;
  private long filesCompacted;
  private long rowsCompacted;
  private long deletedPurged;
  private long failedRounds;
  private int failuresInARow;
  /** After a failed round, no new one starts before this (pacer clock). */
  private long retryAfterNanos = Long.MIN_VALUE;
  /** The partition's appId, for logs from outside a call that has its table. */
  private String ownerName = "(not opened)";
  private final CompactionPacer pacer;
  private final Executor compactor;
  /** The round under way or finished and not yet committed (at most one). */
  private Round round;

  /** A live data file this partition owns, with the rows its deletion vector marks. */
  private static final class OwnedFile {
    final int id;
    TableFile file;
    RoaringBitmap deleted;

    OwnedFile(int id, TableFile file, RoaringBitmap deleted) {
      this.id = id;
      this.file = file;
      this.deleted = deleted;
    }

    String workspace() {
      return file.partition(TableLayout.WORKSPACE);
    }

    double deletedFraction() {
      return file.numRecords() <= 0 ? 0 : (double) deleted.getLongCardinality() / file.numRecords();
    }

    long liveRows() {
      return Math.max(0, file.numRecords() - deleted.getLongCardinality());
    }
  }

  /** Compacts every due file each round, up to the policy's byte bound (no pacing), inline after each commit. */
  public MergeOnReadMerge(Path locatorDirectory, CompactionPolicy policy) {
    this(locatorDirectory, policy, CompactionPacer.unpaced());
  }

  /** Compacts inline: a round runs on the task thread right after the commit that made it due. */
  public MergeOnReadMerge(Path locatorDirectory, CompactionPolicy policy, CompactionPacer pacer) {
    this(locatorDirectory, policy, pacer, Runnable::run);
  }

  /**
   * @param compactor where a round's reading and writing runs: {@code Runnable::run} for inline, or
   *     the worker's compaction threads ({@link #inBackground}); the round's commit is always the task's
   */
  public MergeOnReadMerge(Path locatorDirectory, CompactionPolicy policy, CompactionPacer pacer, Executor compactor) {
    this.locatorDirectory = locatorDirectory;
    this.policy = policy;
    this.pacer = pacer;
    this.compactor = compactor;
  }

  /**
   * A strategy whose rounds read and write on the worker's compaction threads, so a batch waits only
   * for a round's commit, not its copying. The threads are shared by every merge task of the JVM,
   * half as many as cores (at least one): compaction never takes more than half the machine from the
   * tasks, however many partitions a worker holds.
   */
  public static MergeOnReadMerge inBackground(Path locatorDirectory, CompactionPolicy policy, CompactionPacer pacer) {
    return new MergeOnReadMerge(locatorDirectory, policy, pacer, SharedCompactor.EXECUTOR);
  }

  /** The JVM's compaction threads, created with the first background strategy; daemons, so they never hold the JVM. */
  private static final class SharedCompactor {
    static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    static final AtomicInteger NAMES = new AtomicInteger();
    static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "meshlake-compaction-" + NAMES.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public void open(OwnedTable table, MergeLayout layout) {
    ownerName = table.appId();
    long started = System.nanoTime();
    long rows = 0;
    List<TableFile> owned = new ArrayList<>();
    table.workspacesWithFiles().forEach(w -> owned.addAll(table.ownedFiles(w)));
    for (TableFile f : owned) {
      rows += Math.max(0, f.liveRecords());
    }
    String name = table.appId().replaceAll("[^A-Za-z0-9._-]", "_") + "-" + Integer.toHexString(table.table().path().hashCode()) + ".locator";
    locator = new KeyLocator(locatorDirectory.resolve(name), Math.max(rows, 1024));
    TableSchema keys = new TableSchema(List.of(
        new ColumnType.Field(MergeLayout.RESOURCE_ARI, ColumnType.Primitive.STRING),
        new ColumnType.Field(MergeLayout.VERSION, ColumnType.Primitive.LONG),
        new ColumnType.Field(MergeLayout.GENERATION, ColumnType.Primitive.LONG)));
    for (TableFile f : owned) {
      OwnedFile file = track(f, table);
      indexFile(table, file, keys);
    }
    LOG.info("rebuilt the key locator of {} for {}: {} entities in {} files in {} ms", table.table().path(), table.appId(),
        locator.size(), files.size(), (System.nanoTime() - started) / 1_000_000);
    pacer.started();
  }

  private OwnedFile track(TableFile f, OwnedTable table) {
    try {
      RoaringBitmap deleted = f.deletionVector().isPresent()
          ? DeletionVectors.read(table.table().store(), table.table().path(), f.deletionVector().get()) : new RoaringBitmap();
      OwnedFile file = new OwnedFile(nextId++, f, deleted);
      files.put(f.path(), file);
      byId.put(file.id, file);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the deletion vector of " + f.path(), e);
    }
  }

  /** Adds a file's live entities to the locator (only key and version columns are read). */
  private void indexFile(OwnedTable table, OwnedFile file, TableSchema keys) {
    try (DataFileReader.Cursor cursor = DataFileReader.open(
        table.table().store().parquetInput(table.table().path() + "/" + file.file.path()), keys, file.deleted)) {
      String ari = null;
      int first = 0;
      int count = 0;
      long version = 0;
      long generation = 0;
      while (cursor.next()) {
        Object[] row = cursor.row();
        String rowAri = (String) row[0];
        if (!rowAri.equals(ari) || cursor.position() != first + count) {
          if (ari != null) {
            locate(ari, file, first, count, generation, version);
          }
          ari = rowAri;
          first = (int) cursor.position();
          count = 0;
          version = row[1] == null ? -1 : (Long) row[1];
          generation = row[2] == null ? 0 : (Long) row[2];
        }
        count++;
      }
      if (ari != null) {
        locate(ari, file, first, count, generation, version);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read keys of " + file.file.path(), e);
    }
  }

  private void locate(String ari, OwnedFile file, int first, int count, long generation, long version) {
    KeyLocator.Location existing = locator.get(ari);
    if (existing != null) {
      // Should not happen (each entity has one place); keep the newer rows, delete the others.
      boolean newer = generation != existing.generation() ? generation > existing.generation() : version > existing.version();
      LOG.warn("entity {} has rows in two files ({} and {}); keeping version {}", ari, byId.get(existing.fileId()).file.path(),
          file.file.path(), newer ? version : existing.version());
      if (!newer) {
        pendingDeletes.computeIfAbsent(file.id, k -> new RoaringBitmap()).add((long) first, (long) first + count);
        return;
      }
      pendingDeletes.computeIfAbsent(existing.fileId(), k -> new RoaringBitmap())
          .add((long) existing.position(), (long) existing.position() + existing.count());
    }
    locator.put(ari, new KeyLocator.Location(file.id, first, count, generation, version));
  }

  /**
   * Where an entity's rows went in a compaction: from their position in a source file (by its id) to
   * a position in a new file (by its index among the round's new files).
   */
  private record Placed(KeyLocator.Key key, int sourceId, int sourcePosition, int fileIndex, int position, int count,
      long generation, long version) {}

  /**
   * The newest change of an entity in the open batch: its rows in the batch's files ({@code count}
   * 0 for a delete), and where the entity lived in the table before the batch (null when nowhere).
   */
  private record Staged(String workspace, int fileIndex, int position, int count, long generation, long version,
      KeyLocator.Location before) {}

  /** The batch's files once closed: what the commit adds, with the workspace-local index of each. */
  private record Sealed(List<NewFile> adds, List<RoaringBitmap> addedDeletes, Map<String, Integer> firstIndex) {}

  /**
   * The open batch. Each change is written to the batch's new files when it arrives, so the batch
   * holds encoded pages instead of rows; the rows a change replaces are collected as deletions: in
   * the table's files (their deletion vectors grow at the commit) or in the batch's own files (which
   * are added with a deletion vector).
   */
  private final class Staging {
    final Map<String, DataFiles> files = new LinkedHashMap<>();
    final Map<KeyLocator.Key, Staged> newest = new HashMap<>();
    final Map<Integer, RoaringBitmap> replaced = new HashMap<>();
    final Map<String, Map<Integer, RoaringBitmap>> superseded = new HashMap<>();
    long written;
    long applied;
    long stale;
    /** Whether the pacer was told this batch took its first change. */
    boolean opened;
    Sealed sealed;
  }

  private Staging staging = new Staging();

  @Override
  public boolean stagesOnArrival() {
    return true;
  }

  /**
   * Applies one change to the open batch: last write wins against the batch's own newest change of
   * the entity, else against the table's (the locator); the winner's rows go to the batch's files now.
   */
  @Override
  public void stage(OwnedTable table, MergeLayout layout, GroupOp op) {
    if (staging.sealed != null) {
      throw new IllegalStateException("the batch of " + table.appId() + " is being committed; no more changes belong to it");
    }
    if (!staging.opened) {
      staging.opened = true;
      pacer.batchOpened();
    }
    KeyLocator.Key key = KeyLocator.key(op.resourceAri());
    Staged previous = staging.newest.get(key);
    KeyLocator.Location before;
    if (previous != null) {
      if (!op.newerThan(previous.generation(), previous.version())) {
        staging.stale++;
        return;
      }
      before = previous.before();
      if (previous.count() > 0) {
        staging.superseded.computeIfAbsent(previous.workspace(), w -> new HashMap<>())
            .computeIfAbsent(previous.fileIndex(), i -> new RoaringBitmap())
            .add((long) previous.position(), (long) previous.position() + previous.count());
      }
    } else {
      before = locator.get(key);
      if (before != null && !op.newerThan(before.generation(), before.version())) {
        staging.stale++;
        return;
      }
      if (before != null) {
        staging.replaced.computeIfAbsent(before.fileId(), k -> new RoaringBitmap())
            .add((long) before.position(), (long) before.position() + before.count());
      }
    }
    staging.applied++;
    if (op.rows().isEmpty()) {
      staging.newest.put(key, new Staged(op.workspace(), -1, 0, 0, op.generation(), op.version(), before));
      return;
    }
    DataFiles out = staging.files.computeIfAbsent(op.workspace(), ws -> new DataFiles(table.table(), layout.table(), ws,
        layout.kafkaPartition(), table.ownerTags(), layout.settings()));
    int fileIndex = out.fileIndex();
    int position = out.nextPosition();
    for (Object[] row : op.rows()) {
      out.writeFileRow(row);
    }
    out.endGroup();
    staging.written += op.rows().size();
    staging.newest.put(key, new Staged(op.workspace(), fileIndex, position, op.rows().size(), op.generation(), op.version(), before));
  }

  /**
   * Closes the batch's files, once: a commit that is retried adds the same files again. Rows of the
   * batch that a later change of the batch replaced go into the new file's deletion vector.
   */
  private Sealed seal(OwnedTable table) {
    if (staging.sealed != null) {
      return staging.sealed;
    }
    List<NewFile> adds = new ArrayList<>();
    List<RoaringBitmap> addedDeletes = new ArrayList<>();
    Map<String, Integer> firstIndex = new HashMap<>();
    List<Integer> withVector = new ArrayList<>();
    for (Map.Entry<String, DataFiles> ws : staging.files.entrySet()) {
      firstIndex.put(ws.getKey(), adds.size());
      Map<Integer, RoaringBitmap> superseded = staging.superseded.getOrDefault(ws.getKey(), Map.of());
      List<NewFile> files = ws.getValue().finish();
      for (int i = 0; i < files.size(); i++) {
        RoaringBitmap deleted = superseded.getOrDefault(i, new RoaringBitmap());
        if (!deleted.isEmpty()) {
          withVector.add(adds.size());
        }
        adds.add(files.get(i));
        addedDeletes.add(deleted);
      }
    }
    if (!withVector.isEmpty()) {
      List<RoaringBitmap> bitmaps = new ArrayList<>();
      withVector.forEach(i -> bitmaps.add(addedDeletes.get(i)));
      try {
        List<TableFile.DeletionVector> descriptors = DeletionVectors.write(table.table().store(), table.table().path(), bitmaps);
        for (int j = 0; j < withVector.size(); j++) {
          int i = withVector.get(j);
          adds.set(i, adds.get(i).withDeletionVector(descriptors.get(j)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not write deletion vectors of " + table.table().path(), e);
      }
    }
    staging.sealed = new Sealed(adds, addedDeletes, firstIndex);
    return staging.sealed;
  }

  /**
   * Plans the commit of the open batch (after staging {@code ops}, for a caller that hands over a
   * whole batch): the batch's files, the grown deletion vectors of the files whose rows it
   * replaced, and, once committed, the locator pointed at the new rows.
   */
  @Override
  public Plan plan(OwnedTable table, MergeLayout layout, Map<String, SortedMap<String, GroupOp>> ops) {
    if (staging.sealed == null) {
      ops.values().forEach(workspace -> workspace.values().forEach(op -> stage(table, layout, op)));
    }
    Staging batch = staging;
    Sealed sealed = seal(table);
    Map<Integer, RoaringBitmap> deletions = new HashMap<>();
    pendingDeletes.forEach((id, bits) -> deletions.put(id, bits.clone()));
    batch.replaced.forEach((id, bits) -> deletions.merge(id, bits.clone(), (a, b) -> RoaringBitmap.or(a, b)));
    DeletionPlan deletionPlan = planDeletions(table, deletions);
    lastStats = new MergeStats(0, batch.written, 0, batch.applied, batch.stale);
    DeltaTable.Changes changes = new DeltaTable.Changes(sealed.adds(), deletionPlan.removes, deletionPlan.updates, true);
    return new Plan(changes, committed -> {
      applyDeletions(committed, deletionPlan);
      pendingDeletes.clear();
      Map<Integer, OwnedFile> newFiles = trackAdded(committed, sealed.adds(), sealed.addedDeletes());
      batch.newest.forEach((key, s) -> {
        if (s.count() > 0) {
          OwnedFile file = newFiles.get(sealed.firstIndex().get(s.workspace()) + s.fileIndex());
          locator.put(key, new KeyLocator.Location(file.id, s.position(), s.count(), s.generation(), s.version()));
        } else if (s.before() != null) {
          locator.remove(key);
        }
      });
      staging = new Staging();
    });
  }

  /**
   * Drops the open batch. Its files are deleted only if no commit was attempted with them: one that
   * failed may still have reached the log, and the table, re-read by the next owner, decides.
   */
  @Override
  public void discard() {
    if (staging.sealed == null) {
      staging.files.values().forEach(DataFiles::abort);
    }
    staging = new Staging();
  }

  /** The grown deletion vectors of a plan, and the files it deletes entirely. */
  private record DeletionPlan(List<DeltaTable.DeletionVectorUpdate> updates, List<TableFile> removes,
      Map<String, RoaringBitmap> merged) {}

  private DeletionPlan planDeletions(OwnedTable table, Map<Integer, RoaringBitmap> deletions) {
    List<OwnedFile> grown = new ArrayList<>();
    List<RoaringBitmap> bitmaps = new ArrayList<>();
    List<TableFile> removes = new ArrayList<>();
    Map<String, RoaringBitmap> merged = new HashMap<>();
    for (Map.Entry<Integer, RoaringBitmap> d : deletions.entrySet()) {
      OwnedFile file = byId.get(d.getKey());
      RoaringBitmap all = RoaringBitmap.or(file.deleted, d.getValue());
      if (all.getLongCardinality() == file.deleted.getLongCardinality()) {
        continue;
      }
      merged.put(file.file.path(), all);
      if (all.getLongCardinality() >= file.file.numRecords()) {
        removes.add(file.file); // nothing live is left: drop the file instead of a full vector
      } else {
        grown.add(file);
        bitmaps.add(all);
      }
    }
    List<DeltaTable.DeletionVectorUpdate> updates = new ArrayList<>();
    if (!grown.isEmpty()) {
      try {
        List<TableFile.DeletionVector> descriptors = DeletionVectors.write(table.table().store(), table.table().path(), bitmaps);
        for (int i = 0; i < grown.size(); i++) {
          updates.add(new DeltaTable.DeletionVectorUpdate(grown.get(i).file, descriptors.get(i)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not write deletion vectors of " + table.table().path(), e);
      }
    }
    return new DeletionPlan(updates, removes, merged);
  }

  private void applyDeletions(DeltaTable.Committed committed, DeletionPlan plan) {
    Map<String, TableFile> addedByPath = new HashMap<>();
    committed.added().forEach(f -> addedByPath.put(f.path(), f));
    for (DeltaTable.DeletionVectorUpdate u : plan.updates()) {
      OwnedFile file = files.get(u.file().path());
      file.file = addedByPath.get(u.file().path());
      file.deleted = plan.merged().get(u.file().path());
    }
    for (TableFile gone : plan.removes()) {
      OwnedFile file = files.remove(gone.path());
      if (file != null) {
        byId.remove(file.id);
      }
    }
  }

  /** Tracks the plan's new files (committed as {@code adds}) and returns them by plan index. */
  private Map<Integer, OwnedFile> trackAdded(DeltaTable.Committed committed, List<NewFile> adds, List<RoaringBitmap> deleted) {
    Map<String, TableFile> addedByPath = new HashMap<>();
    committed.added().forEach(f -> addedByPath.put(f.path(), f));
    Map<Integer, OwnedFile> result = new HashMap<>();
    for (int i = 0; i < adds.size(); i++) {
      TableFile f = addedByPath.get(adds.get(i).file().relativePath());
      OwnedFile file = new OwnedFile(nextId++, f, deleted == null ? new RoaringBitmap() : deleted.get(i).clone());
      files.put(f.path(), file);
      byId.put(file.id, file);
      result.put(i, file);
    }
    return result;
  }

  @Override
  public void scheduleMaintenance(OwnedTable table, MergeLayout layout, boolean quiet) {
    if (round != null || pacer.now() < retryAfterNanos) {
      return;
    }
    long budget = pacer.rowBudget();
    Map<String, List<OwnedFile>> chosen = compactionCandidates(budget, quiet);
    if (chosen.isEmpty()) {
      return;
    }
    Map<String, List<Source>> sources = new LinkedHashMap<>();
    chosen.forEach((ws, list) -> list.forEach(f -> sources.computeIfAbsent(ws, w -> new ArrayList<>())
        .add(new Source(f.id, f.file, f.deleted.clone()))));
    Round next = new Round(sources, budget);
    round = next;
    next.done = CompletableFuture.runAsync(() -> next.run(table, layout), compactor);
  }

  /** Whether a round is under way or files are due (whatever the pacer allows now). */
  @Override
  public boolean maintenancePending(boolean quiet) {
    return round != null || !compactionCandidates(Long.MAX_VALUE, quiet).isEmpty();
  }

  @Override
  public boolean maintenanceReady() {
    if (round == null || !round.done.isDone()) {
      return false;
    }
    if (round.done.isCompletedExceptionally()) {
      // The table is as it was: the round only wrote files nobody refers to. It is retried after a later flush.
      Round failed = round;
      round = null;
      failedRounds++;
      failuresInARow++;
      // The first retry is at the next chance, then 1 s, 3 s, 7 s ... up to 5 minutes: an idle partition
      // asks every second, and a source that stays unreadable should not log an error each time.
      retryAfterNanos = pacer.now() + TimeUnit.SECONDS.toNanos(Math.min(300, (1L << Math.min(failuresInARow - 1, 20)) - 1));
      Throwable cause = failed.done.handle((ok, e) -> e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e).join();
      LOG.error("self-compaction of {} files of {} failed; the table is unchanged and a later flush tries again", failed.fileCount(),
          ownerName, cause);
      failed.abort();
      return false;
    }
    return true;
  }

  /**
   * Per workspace, the files to rewrite now: heavily deleted ones, or many small ones together, as
   * many as fit both {@code maxBytesPerRound} and the pacer's row budget (the file that crosses a
   * budget is still taken, so a round always makes progress once the budget is positive). A quiet
   * partition (no batch open, no records arriving) merges a tier once it holds half the factor's
   * files: a bulk load leaves many workspaces' tiers just short of full, and without this the first
   * batches after it would tip them all at once, rewriting the load's rows on the change stream's time.
   */
  private Map<String, List<OwnedFile>> compactionCandidates(long rowBudget, boolean quiet) {
    int tierFull = quiet ? quietTierFiles(policy.smallFiles()) : policy.smallFiles();
    Map<String, List<OwnedFile>> small = new HashMap<>();
    Map<String, List<OwnedFile>> chosen = new LinkedHashMap<>();
    long budget = policy.maxBytesPerRound();
    long rows = rowBudget;
    List<OwnedFile> all = new ArrayList<>(files.values());
    all.sort(Comparator.comparingDouble(OwnedFile::deletedFraction).reversed());
    for (OwnedFile f : all) {
      if (f.deletedFraction() >= policy.deletedFraction() && budget > 0 && rows > 0) {
        chosen.computeIfAbsent(f.workspace(), w -> new ArrayList<>()).add(f);
        budget -= f.file.sizeBytes();
        rows -= f.file.numRecords();
      } else if (f.file.sizeBytes() < policy.smallFileBytes()) {
        small.computeIfAbsent(f.workspace(), w -> new ArrayList<>()).add(f);
      }
    }
    for (Map.Entry<String, List<OwnedFile>> ws : small.entrySet()) {
      List<OwnedFile> tier = fullTier(ws.getValue(), tierFull);
      for (OwnedFile f : tier) {
        if (budget <= 0 || rows <= 0) {
          break;
        }
        chosen.computeIfAbsent(ws.getKey(), w -> new ArrayList<>()).add(f);
        budget -= f.file.sizeBytes();
        rows -= f.file.numRecords();
      }
    }
    chosen.values().removeIf(list -> list.size() < 2 && list.stream().allMatch(f -> f.deleted.isEmpty()));
    return chosen;
  }

  /** How many files of one tier a quiet partition merges: half the factor, at least two. */
  static int quietTierFiles(int factor) {
    return Math.max(2, factor / 2);
  }

  /**
   * The smallest tier of a workspace's small files that holds {@code full} files, or none.
   * Files are tiered by live rows in steps of {@code smallFiles}x, so merging a full tier (factor files) always
   * makes a file of a higher tier: each row is rewritten at most once per tier it climbs (a few
   * times in all), never once per round as when every small file of a growing table is merged.
   * Tiers by bytes did not climb for the smallest files: a file's footer and column metadata
   * (a few KiB) dwarf a handful of rows, so eight one-row files merged into a file of the same
   * byte tier, and its rows were merged again round after round. A quiet partition's merge of half a
   * tier may stay in the tier (its rows may be rewritten once or twice more there); each such merge
   * still leaves fewer files, so quiet rounds end.
   */
  private List<OwnedFile> fullTier(List<OwnedFile> smallFiles, int full) {
    Map<Integer, List<OwnedFile>> tiers = new java.util.TreeMap<>();
    for (OwnedFile f : smallFiles) {
      tiers.computeIfAbsent(tier(f.liveRows(), policy.smallFiles()), t -> new ArrayList<>()).add(f);
    }
    for (List<OwnedFile> files : tiers.values()) {
      if (files.size() >= full) {
        return files;
      }
    }
    return List.of();
  }

  /** The tier of a file of {@code liveRows} rows: 0 below {@code factor} rows, 1 below factor², and so on. */
  public static int tier(long liveRows, int factor) {
    int tier = 0;
    for (long bound = factor; liveRows >= bound && tier < 62; bound *= factor) {
      tier++;
      if (bound > Long.MAX_VALUE / factor) {
        break;
      }
    }
    return tier;
  }

  /** A file a round rewrites, as it was when the round began. */
  private record Source(int id, TableFile file, RoaringBitmap deleted) {}

  /**
   * A compaction round: the chosen files' live rows, merged by resource ARI an entity at a time, are
   * written into new files. It reads only immutable files and its own copies of their deletion
   * vectors, and touches no state of the strategy, so it may run while the task goes on staging.
   */
  private final class Round {
    final Map<String, List<Source>> sources;
    final long budgetRows;
    final long rowsRead;
    final List<DataFiles> outputs = new ArrayList<>();
    final List<NewFile> adds = new ArrayList<>();
    final List<Placed> placed = new ArrayList<>();
    volatile boolean cancelled;
    /** Taken by the round as it starts, or by close() before it does (then it never runs). */
    final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
    final java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    boolean commitAttempted;
    long rows;
    long purged;
    long startedNanos;
    long endedNanos;
    CompletableFuture<Void> done;

    Round(Map<String, List<Source>> sources, long budgetRows) {
      this.sources = sources;
      this.budgetRows = budgetRows;
      long read = 0;
      for (List<Source> ws : sources.values()) {
        for (Source f : ws) {
          read += Math.max(0, f.file().numRecords());
        }
      }
      this.rowsRead = read;
    }

    int fileCount() {
      return sources.values().stream().mapToInt(List::size).sum();
    }

    void run(OwnedTable table, MergeLayout layout) {
      if (!claimed.compareAndSet(false, true)) {
        return;
      }
      try {
        copy(table, layout);
      } finally {
        finished.countDown();
      }
    }

    private void copy(OwnedTable table, MergeLayout layout) {
      startedNanos = pacer.now();
      TableSchema schema = layout.table().fileSchema();
      for (Map.Entry<String, List<Source>> ws : sources.entrySet()) {
        int fileBase = adds.size();
        DataFiles out = new DataFiles(table.table(), layout.table(), ws.getKey(), layout.kafkaPartition(), table.ownerTags(),
            layout.settings());
        outputs.add(out);
        PriorityQueue<DataFileReader.Cursor> heads = new PriorityQueue<>(Comparator.comparing(c -> layout.ariOf(c.row())));
        Map<DataFileReader.Cursor, Integer> sourceOf = new HashMap<>();
        List<DataFileReader.Cursor> cursors = new ArrayList<>();
        try {
          for (Source f : ws.getValue()) {
            DataFileReader.Cursor cursor = DataFileReader.open(
                table.table().store().parquetInput(table.table().path() + "/" + f.file().path()), schema, f.deleted());
            cursors.add(cursor);
            sourceOf.put(cursor, f.id());
            if (cursor.next()) {
              heads.add(cursor);
            }
            purged += f.deleted().getLongCardinality();
          }
          // One entity's rows at a time: they are contiguous in their file, while files written as
          // changes arrived are not sorted, so a row-by-row merge could interleave two entities.
          while (!heads.isEmpty()) {
            if (cancelled) {
              throw new IllegalStateException("the partition was closed");
            }
            DataFileReader.Cursor cursor = heads.poll();
            Object[] first = cursor.row();
            String ari = layout.ariOf(first);
            int sourcePosition = (int) cursor.position();
            int file = fileBase + out.fileIndex();
            int start = out.nextPosition();
            long version = layout.versionOf(first);
            long generation = layout.generationOf(first);
            int count = 0;
            boolean more;
            do {
              out.writeFileRow(cursor.row());
              count++;
              rows++;
              more = cursor.next();
            } while (more && ari.equals(layout.ariOf(cursor.row())));
            out.endGroup();
            placed.add(new Placed(KeyLocator.key(ari), sourceOf.get(cursor), sourcePosition, file, start, count, generation, version));
            if (more) {
              heads.add(cursor);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("could not compact files of " + table.table().path(), e);
        } finally {
          for (DataFileReader.Cursor c : cursors) {
            try {
              c.close();
            } catch (IOException ignored) {
              // closing a reader we are done with
            }
          }
        }
        adds.addAll(out.finish());
      }
      endedNanos = pacer.now();
    }

    /** Deletes the round's files, unless a commit was attempted with them (it may have reached the log). */
    void abort() {
      if (!commitAttempted) {
        outputs.forEach(DataFiles::abort);
      }
    }
  }

  /**
   * Plans the commit of the finished round against the files as they are now. A batch committed
   * while the round ran may have replaced entities the round copied (their source rows are now in a
   * deletion vector, or the source file is gone): their copies are marked deleted in the new files,
   * and the locator keeps pointing at the batch's rows. The sources are removed as they are now
   * (with their grown vectors); a source already removed by a batch is not removed again.
   */
  @Override
  public Plan maintenance(OwnedTable table, MergeLayout layout) {
    Round done = round;
    if (done == null || !done.done.isDone() || done.done.isCompletedExceptionally()) {
      throw new IllegalStateException("no finished compaction round of " + table.appId() + " to commit");
    }
    done.commitAttempted = true;
    List<TableFile> removes = new ArrayList<>();
    Map<Integer, RoaringBitmap> deletedSince = new HashMap<>();
    for (List<Source> ws : done.sources.values()) {
      for (Source source : ws) {
        OwnedFile now = byId.get(source.id());
        if (now == null) {
          deletedSince.put(source.id(), null); // every row replaced: the batch removed the file
          continue;
        }
        removes.add(now.file);
        RoaringBitmap since = RoaringBitmap.andNot(now.deleted, source.deleted());
        if (!since.isEmpty()) {
          deletedSince.put(source.id(), since);
        }
      }
    }
    List<RoaringBitmap> stale = new ArrayList<>();
    done.adds.forEach(f -> stale.add(new RoaringBitmap()));
    List<Placed> live = new ArrayList<>();
    for (Placed p : done.placed) {
      boolean replaced = deletedSince.containsKey(p.sourceId()) && (deletedSince.get(p.sourceId()) == null
          || deletedSince.get(p.sourceId()).rangeCardinality(p.sourcePosition(), (long) p.sourcePosition() + p.count()) > 0);
      if (replaced) {
        stale.get(p.fileIndex()).add((long) p.position(), (long) p.position() + p.count());
      } else {
        live.add(p);
      }
    }
    // New files: all live (as written), some rows replaced meanwhile (added with a vector), or none live (not added).
    List<NewFile> adds = new ArrayList<>();
    List<RoaringBitmap> addedDeletes = new ArrayList<>();
    int[] addIndex = new int[done.adds.size()];
    List<Integer> withVector = new ArrayList<>();
    List<NewFile> dropped = new ArrayList<>();
    for (int i = 0; i < done.adds.size(); i++) {
      NewFile f = done.adds.get(i);
      RoaringBitmap deleted = stale.get(i);
      if (deleted.getLongCardinality() >= f.file().stats().numRecords()) {
        addIndex[i] = -1;
        dropped.add(f);
        continue;
      }
      addIndex[i] = adds.size();
      if (!deleted.isEmpty()) {
        withVector.add(adds.size());
      }
      adds.add(f);
      addedDeletes.add(deleted);
    }
    if (!withVector.isEmpty()) {
      List<RoaringBitmap> bitmaps = new ArrayList<>();
      withVector.forEach(i -> bitmaps.add(addedDeletes.get(i)));
      try {
        List<TableFile.DeletionVector> descriptors = DeletionVectors.write(table.table().store(), table.table().path(), bitmaps);
        for (int j = 0; j < withVector.size(); j++) {
          adds.set(withVector.get(j), adds.get(withVector.get(j)).withDeletionVector(descriptors.get(j)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("could not write deletion vectors of " + table.table().path(), e);
      }
    }
    long replacedRows = stale.stream().mapToLong(RoaringBitmap::getLongCardinality).sum();
    long committing = pacer.now();
    DeltaTable.Changes changes = new DeltaTable.Changes(adds, removes, List.of(), false);
    return new Plan(changes, committed -> {
      for (TableFile gone : removes) {
        OwnedFile file = files.remove(gone.path());
        if (file != null) {
          byId.remove(file.id);
        }
      }
      Map<Integer, OwnedFile> newFiles = trackAdded(committed, adds, addedDeletes);
      for (Placed p : live) {
        OwnedFile file = newFiles.get(addIndex[p.fileIndex()]);
        locator.put(p.key(), new KeyLocator.Location(file.id, p.position(), p.count(), p.generation(), p.version()));
      }
      for (NewFile f : dropped) {
        deleteQuietly(table, f);
      }
      round = null;
      failuresInARow = 0;
      compactions++;
      filesCompacted += done.fileCount();
      rowsCompacted += done.rows;
      deletedPurged += done.purged;
      double estimate = pacer.nanosPerRow();
      pacer.roundDone(done.startedNanos, done.endedNanos, done.rowsRead);
      LOG.info("compacted {} files of {} into {} ({} rows, {} deleted rows purged, {} rows replaced while compacting; {} rows read in {} ms,"
              + " committed {} ms later, {})", done.fileCount(), table.appId(), adds.size(), done.rows, done.purged, replacedRows,
          done.rowsRead, (done.endedNanos - done.startedNanos) / 1_000_000, (pacer.now() - committing) / 1_000_000,
          done.budgetRows == Long.MAX_VALUE ? "unpaced"
              : "budget " + done.budgetRows + " rows at " + Math.round(estimate / 1_000) + " µs/row estimated");
    });
  }

  private static void deleteQuietly(OwnedTable table, NewFile f) {
    try {
      table.table().store().delete(table.table().store().qualify(table.table().path() + "/" + f.file().relativePath()));
    } catch (IOException | RuntimeException ignored) {
      // left for vacuum: no snapshot refers to it
    }
  }

  @Override
  public MergeStats lastStats() {
    return lastStats;
  }

  @Override
  public CompactionStats compactionStats() {
    return new CompactionStats(compactions, filesCompacted, rowsCompacted, deletedPurged, failedRounds);
  }

  /** Entities the locator knows (for tests and metrics). */
  public long locatedEntities() {
    return locator == null ? 0 : locator.size();
  }

  /** Stops a round under way (or drops it before it starts) and deletes its files, then releases the locator. */
  @Override
  public void close() {
    Round open = round;
    round = null;
    if (open != null && !open.claimed.compareAndSet(false, true)) { // else it never started and now never will
      open.cancelled = true;
      try {
        if (open.finished.await(1, TimeUnit.MINUTES)) {
          open.abort();
        } else {
          LOG.warn("a compaction round of {} did not stop within a minute; its files are left for vacuum", ownerName);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (locator != null) {
      locator.close();
    }
  }
}
