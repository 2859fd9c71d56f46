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
import org.roaringbitmap.RoaringBitmap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merge-on-read: the cost of a batch follows the batch, not the table. The owning task knows where
 * each of its entities' rows are ({@link KeyLocator}); a newer change writes its rows to a new file
 * and marks the replaced rows in the old file's deletion vector; a delete only marks. One commit per
 * flush holds the new files, the grown deletion vectors (remove + add of the same file) and the
 * partition's {@code txn}. Between flushes the task compacts its own files once deleted rows or
 * small files pass their thresholds (dataChange=false), so no other writer and no maintenance window
 * is needed.
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
  }

  public MergeOnReadMerge(Path locatorDirectory, CompactionPolicy policy) {
    this.locatorDirectory = locatorDirectory;
    this.policy = policy;
  }

  @Override
  public void open(OwnedTable table, MergeLayout layout) {
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

  /** Where a new entity's rows went in this plan: the file by its index among the plan's new files. */
  private record Placed(KeyLocator.Key key, String workspace, int fileIndex, int position, int count, long generation, long version) {}

  @Override
  public Plan plan(OwnedTable table, MergeLayout layout, Map<String, SortedMap<String, GroupOp>> ops) {
    Map<Integer, RoaringBitmap> deletions = new HashMap<>();
    pendingDeletes.forEach((id, bits) -> deletions.put(id, bits.clone()));
    List<NewFile> adds = new ArrayList<>();
    List<Placed> placed = new ArrayList<>();
    List<KeyLocator.Key> removed = new ArrayList<>();
    long written = 0;
    long applied = 0;
    long stale = 0;
    int fileBase = 0;
    for (Map.Entry<String, SortedMap<String, GroupOp>> ws : ops.entrySet()) {
      DataFiles out = new DataFiles(table.table(), layout.table(), ws.getKey(), layout.kafkaPartition(), table.ownerTags(),
          layout.settings());
      for (GroupOp op : ws.getValue().values()) {
        KeyLocator.Key key = KeyLocator.key(op.resourceAri());
        KeyLocator.Location location = locator.get(key);
        if (location != null && !op.newerThan(location.generation(), location.version())) {
          stale++;
          continue;
        }
        applied++;
        if (location != null) {
          deletions.computeIfAbsent(location.fileId(), k -> new RoaringBitmap())
              .add((long) location.position(), (long) location.position() + location.count());
        }
        if (op.rows().isEmpty()) {
          if (location != null) {
            removed.add(key);
          }
          continue;
        }
        int fileIndex = fileBase + out.fileIndex();
        int position = out.nextPosition();
        for (Object[] row : op.rows()) {
          out.writeFileRow(row);
        }
        out.endGroup();
        written += op.rows().size();
        placed.add(new Placed(key, ws.getKey(), fileIndex, position, op.rows().size(), op.generation(), op.version()));
      }
      List<NewFile> wsFiles = out.finish();
      adds.addAll(wsFiles);
      fileBase += wsFiles.size();
    }
    DeletionPlan deletionPlan = planDeletions(table, deletions);
    lastStats = new MergeStats(0, written, 0, applied, stale);
    DeltaTable.Changes changes = new DeltaTable.Changes(adds, deletionPlan.removes, deletionPlan.updates, true);
    return new Plan(changes, committed -> {
      applyDeletions(committed, deletionPlan);
      pendingDeletes.clear();
      Map<Integer, OwnedFile> newFiles = trackAdded(committed, adds, table);
      for (Placed p : placed) {
        OwnedFile file = newFiles.get(p.fileIndex());
        locator.put(p.key(), new KeyLocator.Location(file.id, p.position(), p.count(), p.generation(), p.version()));
      }
      removed.forEach(k -> locator.remove(k));
    });
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
  private Map<Integer, OwnedFile> trackAdded(DeltaTable.Committed committed, List<NewFile> adds, OwnedTable table) {
    Map<String, TableFile> addedByPath = new HashMap<>();
    committed.added().forEach(f -> addedByPath.put(f.path(), f));
    Map<Integer, OwnedFile> result = new HashMap<>();
    for (int i = 0; i < adds.size(); i++) {
      TableFile f = addedByPath.get(adds.get(i).file().relativePath());
      OwnedFile file = new OwnedFile(nextId++, f, new RoaringBitmap());
      files.put(f.path(), file);
      byId.put(file.id, file);
      result.put(i, file);
    }
    return result;
  }

  @Override
  public boolean maintenanceDue() {
    return !compactionCandidates().isEmpty();
  }

  /** Per workspace, the files to rewrite now: heavily deleted ones, or many small ones together. */
  private Map<String, List<OwnedFile>> compactionCandidates() {
    Map<String, List<OwnedFile>> small = new HashMap<>();
    Map<String, List<OwnedFile>> chosen = new LinkedHashMap<>();
    long budget = policy.maxBytesPerRound();
    List<OwnedFile> all = new ArrayList<>(files.values());
    all.sort(Comparator.comparingDouble(OwnedFile::deletedFraction).reversed());
    for (OwnedFile f : all) {
      if (f.deletedFraction() >= policy.deletedFraction() && budget > 0) {
        chosen.computeIfAbsent(f.workspace(), w -> new ArrayList<>()).add(f);
        budget -= f.file.sizeBytes();
      } else if (f.file.sizeBytes() < policy.smallFileBytes()) {
        small.computeIfAbsent(f.workspace(), w -> new ArrayList<>()).add(f);
      }
    }
    for (Map.Entry<String, List<OwnedFile>> ws : small.entrySet()) {
      List<OwnedFile> tier = fullTier(ws.getValue());
      for (OwnedFile f : tier) {
        if (budget <= 0) {
          break;
        }
        chosen.computeIfAbsent(ws.getKey(), w -> new ArrayList<>()).add(f);
        budget -= f.file.sizeBytes();
      }
    }
    chosen.values().removeIf(list -> list.size() < 2 && list.stream().allMatch(f -> f.deleted.isEmpty()));
    return chosen;
  }

  /**
   * The smallest size tier of a workspace's small files that holds {@code smallFiles} files, or none.
   * Files are tiered by size in steps of {@code smallFiles}x (from {@link #TIER_BASE_BYTES}), so
   * merging a full tier makes a file of the next tier: each row is rewritten once per tier it climbs
   * (a few times in all), never once per round as when every small file of a growing table is merged.
   */
  private List<OwnedFile> fullTier(List<OwnedFile> smallFiles) {
    Map<Integer, List<OwnedFile>> tiers = new java.util.TreeMap<>();
    for (OwnedFile f : smallFiles) {
      tiers.computeIfAbsent(tier(f.file.sizeBytes(), policy.smallFiles()), t -> new ArrayList<>()).add(f);
    }
    for (List<OwnedFile> files : tiers.values()) {
      if (files.size() >= policy.smallFiles()) {
        return files;
      }
    }
    return List.of();
  }

  /** Files below this size are all in the lowest tier. */
  static final long TIER_BASE_BYTES = 8 << 10;

  static int tier(long sizeBytes, int factor) {
    int tier = 0;
    for (long bound = TIER_BASE_BYTES * factor; sizeBytes >= bound && tier < 62; bound *= factor) {
      tier++;
    }
    return tier;
  }

  /**
   * Rewrites the chosen files' live rows, merged in resource-ARI order, into new files
   * (dataChange=false: no row changes), and points the locator at their new places.
   */
  @Override
  public Plan maintenance(OwnedTable table, MergeLayout layout) {
    Map<String, List<OwnedFile>> chosen = compactionCandidates();
    List<NewFile> adds = new ArrayList<>();
    List<TableFile> removes = new ArrayList<>();
    List<Placed> placed = new ArrayList<>();
    long rows = 0;
    long purged = 0;
    int fileBase = 0;
    TableSchema schema = layout.table().fileSchema();
    for (Map.Entry<String, List<OwnedFile>> ws : chosen.entrySet()) {
      DataFiles out = new DataFiles(table.table(), layout.table(), ws.getKey(), layout.kafkaPartition(), table.ownerTags(),
          layout.settings());
      PriorityQueue<DataFileReader.Cursor> heads = new PriorityQueue<>(Comparator.comparing(c -> layout.ariOf(c.row())));
      List<DataFileReader.Cursor> cursors = new ArrayList<>();
      try {
        for (OwnedFile f : ws.getValue()) {
          DataFileReader.Cursor cursor = DataFileReader.open(
              table.table().store().parquetInput(table.table().path() + "/" + f.file.path()), schema, f.deleted);
          cursors.add(cursor);
          if (cursor.next()) {
            heads.add(cursor);
          }
          removes.add(f.file);
          purged += f.deleted.getLongCardinality();
        }
        String group = null;
        int groupStart = 0;
        int groupFile = 0;
        int groupCount = 0;
        long groupVersion = 0;
        long groupGeneration = 0;
        while (!heads.isEmpty()) {
          DataFileReader.Cursor cursor = heads.poll();
          Object[] row = cursor.row();
          String ari = layout.ariOf(row);
          if (!ari.equals(group)) {
            if (group != null) {
              placed.add(new Placed(KeyLocator.key(group), ws.getKey(), groupFile, groupStart, groupCount, groupGeneration, groupVersion));
              out.endGroup();
            }
            group = ari;
            groupFile = fileBase + out.fileIndex();
            groupStart = out.nextPosition();
            groupCount = 0;
            groupVersion = layout.versionOf(row);
            groupGeneration = layout.generationOf(row);
          }
          out.writeFileRow(row);
          groupCount++;
          rows++;
          if (cursor.next()) {
            heads.add(cursor);
          }
        }
        if (group != null) {
          placed.add(new Placed(KeyLocator.key(group), ws.getKey(), groupFile, groupStart, groupCount, groupGeneration, groupVersion));
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
      List<NewFile> wsFiles = out.finish();
      adds.addAll(wsFiles);
      fileBase += wsFiles.size();
    }
    long rowsFinal = rows;
    long purgedFinal = purged;
    int compacted = removes.size();
    DeltaTable.Changes changes = new DeltaTable.Changes(adds, removes, List.of(), false);
    return new Plan(changes, committed -> {
      for (TableFile gone : removes) {
        OwnedFile file = files.remove(gone.path());
        if (file != null) {
          byId.remove(file.id);
        }
      }
      Map<Integer, OwnedFile> newFiles = trackAdded(committed, adds, table);
      for (Placed p : placed) {
        OwnedFile file = newFiles.get(p.fileIndex());
        locator.put(p.key(), new KeyLocator.Location(file.id, p.position(), p.count(), p.generation(), p.version()));
      }
      compactions++;
      filesCompacted += compacted;
      rowsCompacted += rowsFinal;
      deletedPurged += purgedFinal;
      LOG.info("compacted {} files of {} into {} ({} rows, {} deleted rows purged)", compacted, table.appId(), adds.size(),
          rowsFinal, purgedFinal);
    });
  }

  @Override
  public MergeStats lastStats() {
    return lastStats;
  }

  @Override
  public CompactionStats compactionStats() {
    return new CompactionStats(compactions, filesCompacted, rowsCompacted, deletedPurged);
  }

  /** Entities the locator knows (for tests and metrics). */
  public long locatedEntities() {
    return locator == null ? 0 : locator.size();
  }

  @Override
  public void close() {
    if (locator != null) {
      locator.close();
    }
  }
}
