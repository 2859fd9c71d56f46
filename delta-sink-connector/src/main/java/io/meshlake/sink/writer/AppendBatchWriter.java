package io.meshlake.sink.writer;

import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.NewFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Appends every event verbatim to the raw table of its entity (one table per entity of the domain).
 * Events are written to the open batch's data files as they arrive (one file set per table and
 * workspace), so a batch holds encoded Parquet pages rather than decoded events; the commit closes
 * the files and adds them. Each table records the partition's offset in its own commit; after a
 * crash a table that is already ahead skips what it has.
 */
public final class AppendBatchWriter implements BatchWriter {

  private final Map<Integer, RawTableLayout> layouts;
  private final Map<Integer, OwnedTable> tables;
  private final int kafkaPartition;
  private final WriterSettings settings;
  /** The open batch's files, per entity type and workspace. */
  private final Map<Integer, Map<String, DataFiles>> open = new HashMap<>();
  /**
   * Rows taken since the files last wrote every pending row. Each file writes its rows a chunk at a
   * time, and when rows spread over many workspaces the chunks fill slowly: the rows waiting in them
   * grew with the number of workspaces (up to 12,800 per partition for 100 workspaces). Past this
   * many, every file writes what it holds, so a writer holds this many rows however many workspaces
   * it writes to.
   */
  private int staged;
  static final int MAX_STAGED_ROWS = 4096;

  public AppendBatchWriter(Map<Integer, RawTableLayout> layouts, Map<Integer, OwnedTable> tables, int kafkaPartition,
      WriterSettings settings) {
    this.layouts = Map.copyOf(layouts);
    this.tables = Map.copyOf(tables);
    this.kafkaPartition = kafkaPartition;
    this.settings = settings;
  }

  @Override
  public long resumeOffset() {
    long min = Long.MAX_VALUE;
    for (OwnedTable t : tables.values()) {
      min = Math.min(min, t.committedOffset());
    }
    return tables.isEmpty() || min < 0 ? 0 : min + 1;
  }

  /** Whether the event must be written: its table does not record it yet. */
  public boolean pending(SinkEvent event) {
    OwnedTable table = tables.get(event.manifest().entityType());
    return table != null && event.offset() > table.committedOffset();
  }

  @Override
  public boolean holdsDecodedEvents() {
    return false;
  }

  @Override
  public void add(SinkEvent event) {
    int type = event.manifest().entityType();
    RawTableLayout layout = layouts.get(type);
    if (layout == null || !pending(event)) {
      return;
    }
    Map<String, DataFiles> tableFiles = open.computeIfAbsent(type, t -> new LinkedHashMap<>());
    // Looked up before created: a capturing lambda would be allocated for every event.
    DataFiles files = tableFiles.get(event.workspace());
    if (files == null) {
      OwnedTable table = tables.get(type);
      files = new DataFiles(table.table(), layout.layout(), event.workspace(), kafkaPartition, table.ownerTags(), settings);
      tableFiles.put(event.workspace(), files);
    }
    // Received = written into the batch, which is when the sink took the record from Kafka.
    files.writeFileRow(layout.fileRow(event, System.currentTimeMillis() * 1000L));
    files.endGroup();
    if (++staged >= MAX_STAGED_ROWS) {
      for (Map<String, DataFiles> filesOfTable : open.values()) {
        filesOfTable.values().forEach(DataFiles::flushPending);
      }
      staged = 0;
    }
  }

  /** Rows the open batch's files hold but have not handed to parquet-mr yet. */
  int stagedRows() {
    int n = 0;
    for (Map<String, DataFiles> filesOfTable : open.values()) {
      for (DataFiles f : filesOfTable.values()) {
        n += f.pendingRows();
      }
    }
    return n;
  }

  @Override
  public void commit(long lastOffset) {
    try {
      for (Map.Entry<Integer, OwnedTable> entry : tables.entrySet()) {
        OwnedTable table = entry.getValue();
        Map<String, DataFiles> tableFiles = open.remove(entry.getKey());
        if (lastOffset <= table.committedOffset()) {
          abort(tableFiles);
          continue;
        }
        boolean lagging = lastOffset - table.committedOffset() >= settings.txnLagRecords() || table.committedOffset() < 0;
        if (tableFiles == null && !lagging) {
          continue;
        }
        List<NewFile> files = new ArrayList<>();
        if (tableFiles != null) {
          for (DataFiles ws : tableFiles.values()) {
            files.addAll(ws.finish());
          }
        }
        // The files are written once; a commit retried after a conflict adds the same files.
        table.commit(t -> MergeStrategy.Plan.of(DeltaTable.Changes.of(files, List.of())), lastOffset);
      }
    } finally {
      discard();
    }
  }

  @Override
  public void discard() {
    staged = 0;
    for (Map<String, DataFiles> tableFiles : open.values()) {
      abort(tableFiles);
    }
    open.clear();
  }

  private static void abort(Map<String, DataFiles> tableFiles) {
    if (tableFiles != null) {
      tableFiles.values().forEach(DataFiles::abort);
    }
  }
}
