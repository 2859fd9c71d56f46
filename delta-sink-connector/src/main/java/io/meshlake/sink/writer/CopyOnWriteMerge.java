package io.meshlake.sink.writer;

import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.NewFile;
import io.meshlake.table.delta.TableFile;
import io.meshlake.table.parquet.DataFileReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * Copy-on-write merge: every owned file whose resource-ARI range can hold one of the batch's
 * entities is read and rewritten with those entities' rows replaced (when the change is newer) or
 * dropped (deletes); entities found in no file are inserted into a new file. Files are written
 * sorted by resource ARI, so an entity's rows are contiguous and ranges stay tight.
 *
 * <p>Its cost follows the files the batch touches, which for updates spread over the key space is
 * most of the table: the simple first mode, correct but not the fast one.
 */
public final class CopyOnWriteMerge implements MergeStrategy {

  private MergeStats lastStats = new MergeStats(0, 0, 0, 0, 0);

  @Override
  public Plan plan(OwnedTable table, MergeLayout layout, Map<String, SortedMap<String, GroupOp>> ops) {
    List<NewFile> adds = new ArrayList<>();
    List<TableFile> removes = new ArrayList<>();
    Counters counters = new Counters();
    for (Map.Entry<String, SortedMap<String, GroupOp>> ws : ops.entrySet()) {
      String workspace = ws.getKey();
      SortedMap<String, GroupOp> batch = ws.getValue();
      Set<String> seen = new HashSet<>();
      for (TableFile file : table.ownedFiles(workspace)) {
        if (!mayHold(file, batch)) {
          continue;
        }
        Rewrite rewrite = rewrite(table, layout, workspace, file, batch, seen, counters);
        if (rewrite.changed) {
          removes.add(file);
          adds.addAll(rewrite.files);
          counters.filesRewritten++;
        } else {
          discard(table, rewrite.files);
        }
      }
      try (DataFiles inserts = new DataFiles(table.table(), layout.table(), workspace, layout.kafkaPartition(),
          table.ownerTags(), layout.settings())) {
        for (GroupOp op : batch.values()) {
          if (!seen.contains(op.resourceAri())) {
            for (Object[] row : op.rows()) {
              inserts.writeFileRow(row);
              counters.written++;
            }
            inserts.endGroup();
            counters.applied++;
          }
        }
        adds.addAll(inserts.finish());
      }
    }
    lastStats = new MergeStats(counters.read, counters.written, counters.filesRewritten, counters.applied, counters.stale);
    return Plan.of(DeltaTable.Changes.of(adds, removes));
  }

  @Override
  public MergeStats lastStats() {
    return lastStats;
  }

  /** Whether the file's ARI range (unknown bounds: always) contains an ARI of the batch. */
  static boolean mayHold(TableFile file, SortedMap<String, GroupOp> batch) {
    Object min = file.min().get(MergeLayout.RESOURCE_ARI);
    Object max = file.max().get(MergeLayout.RESOURCE_ARI);
    if (min == null || max == null) {
      return true;
    }
    String lo = (String) min;
    String hi = (String) max;
    // subMap's upper bound is exclusive: extend it past hi.
    return !batch.subMap(lo, hi + "\u0000").isEmpty();
  }

  private static final class Counters {
    long read;
    long written;
    long filesRewritten;
    long applied;
    long stale;
  }

  private record Rewrite(List<NewFile> files, boolean changed) {}

  private Rewrite rewrite(OwnedTable table, MergeLayout layout, String workspace, TableFile file,
      SortedMap<String, GroupOp> batch, Set<String> seen, Counters counters) {
    if (file.deletionVector().isPresent()) {
      throw new IllegalStateException("copy-on-write merge cannot rewrite " + file.path()
          + ", which has a deletion vector; use merge.mode=merge_on_read for this table");
    }
    DataFiles out = new DataFiles(table.table(), layout.table(), workspace, layout.kafkaPartition(), table.ownerTags(),
        layout.settings());
    boolean[] changed = {false};
    String[] currentAri = {null};
    boolean[] replacing = {false};
    try {
      DataFileReader.read(table.table().store().parquetInput(table.table().path() + "/" + file.path()),
          layout.table().fileSchema(), row -> {
            counters.read++;
            String ari = layout.ariOf(row);
            if (!ari.equals(currentAri[0])) {
              if (currentAri[0] != null) {
                out.endGroup();
              }
              currentAri[0] = ari;
              replacing[0] = false;
              GroupOp op = batch.get(ari);
              if (op != null && seen.add(ari)) {
                if (op.newerThan(layout.generationOf(row), layout.versionOf(row))) {
                  replacing[0] = true;
                  changed[0] = true;
                  counters.applied++;
                  for (Object[] replacement : op.rows()) {
                    out.writeFileRow(replacement);
                    counters.written++;
                  }
                } else {
                  counters.stale++;
                }
              }
            }
            if (!replacing[0]) {
              out.writeFileRow(row);
              counters.written++;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file.path() + " of " + table.table().path(), e);
    }
    return new Rewrite(out.finish(), changed[0]);
  }

  private static void discard(OwnedTable table, List<NewFile> files) {
    for (NewFile f : files) {
      try {
        table.table().store().delete(table.table().store().qualify(table.table().path() + "/" + f.file().relativePath()));
      } catch (IOException e) {
        // An unreferenced file is harmless: vacuum removes it.
      }
    }
  }
}
