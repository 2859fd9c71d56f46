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
 * Each table records the partition's offset in its own commit; after a crash a table that is
 * already ahead skips what it has.
 */
public final class AppendBatchWriter implements BatchWriter {

  private final Map<Integer, RawTableLayout> layouts;
  private final Map<Integer, OwnedTable> tables;
  private final int kafkaPartition;
  private final WriterSettings settings;

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
  public void write(List<SinkEvent> events, long lastOffset) {
    long receivedAt = System.currentTimeMillis() * 1000L;
    Map<Integer, Map<String, List<Object[]>>> rows = new HashMap<>();
    for (SinkEvent event : events) {
      int type = event.manifest().entityType();
      RawTableLayout layout = layouts.get(type);
      if (layout == null || event.offset() <= tables.get(type).committedOffset()) {
        continue;
      }
      rows.computeIfAbsent(type, t -> new LinkedHashMap<>())
          .computeIfAbsent(event.workspace(), w -> new ArrayList<>())
          .add(layout.layout().fileRow(layout.row(event, receivedAt)));
    }
    for (Map.Entry<Integer, OwnedTable> entry : tables.entrySet()) {
      OwnedTable table = entry.getValue();
      if (lastOffset <= table.committedOffset()) {
        continue;
      }
      Map<String, List<Object[]>> tableRows = rows.getOrDefault(entry.getKey(), Map.of());
      boolean lagging = lastOffset - table.committedOffset() >= settings.txnLagRecords() || table.committedOffset() < 0;
      if (tableRows.isEmpty() && !lagging) {
        continue;
      }
      TableLayout layout = layouts.get(entry.getKey()).layout();
      table.commit(t -> MergeStrategy.Plan.of(DeltaTable.Changes.of(writeFiles(t, layout, tableRows), List.of())), lastOffset);
    }
  }

  private List<NewFile> writeFiles(OwnedTable table, TableLayout layout, Map<String, List<Object[]>> rowsByWorkspace) {
    List<NewFile> files = new ArrayList<>();
    for (Map.Entry<String, List<Object[]>> ws : rowsByWorkspace.entrySet()) {
      try (DataFiles out = new DataFiles(table.table(), layout, ws.getKey(), kafkaPartition, table.ownerTags(), settings)) {
        for (Object[] row : ws.getValue()) {
          out.writeFileRow(row);
          out.endGroup();
        }
        files.addAll(out.finish());
      }
    }
    return files;
  }
}
