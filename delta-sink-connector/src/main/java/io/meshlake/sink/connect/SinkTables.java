package io.meshlake.sink.connect;

import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.manifest.WriterType;
import io.meshlake.sink.config.DeltaSinkConfig;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.sink.model.CompiledModel;
import io.meshlake.sink.model.ModelCompiler;
import io.meshlake.table.storage.TableStore;
import io.meshlake.sink.connect.TableStores;
import io.meshlake.sink.writer.RawTableLayout;
import io.meshlake.sink.writer.TableLayout;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tables a sink writes, opened or created: the connector does it once at start (so tasks never
 * race to create a table), tasks open them again.
 */
record SinkTables(
    Map<Integer, RawTableLayout> rawLayouts,
    Map<Integer, DeltaTable> rawTables,
    CompiledModel model,
    TableLayout refinedLayout,
    DeltaTable refinedTable) {

  static SinkTables open(DeltaSinkConfig config, EntityCatalog catalog, TableStore store) {
    Map<String, String> properties = DeltaTable.defaultProperties(config.checkpointInterval());
    if (config.writerType() == WriterType.APPEND) {
      Map<Integer, RawTableLayout> layouts = new HashMap<>();
      Map<Integer, DeltaTable> tables = new HashMap<>();
      for (EntityManifest manifest : catalog.byDomain(config.domain())) {
        RawTableLayout layout = new RawTableLayout(manifest);
        layouts.put(manifest.entityType(), layout);
        tables.put(manifest.entityType(), DeltaTable.openOrCreate(store,
            TableStores.tablePath(config, RawTableLayout.tableName(manifest)), layout.layout().schema(),
            layout.layout().partitionColumns(), properties));
      }
      return new SinkTables(layouts, tables, null, null, null);
    }
    CompiledModel model = new ModelCompiler().compile(catalog, config.model());
    TableLayout layout = new TableLayout(model.schema(), List.of(TableLayout.WORKSPACE));
    boolean mergeOnRead = config.mergeMode() == DeltaSinkConfig.MergeMode.MERGE_ON_READ;
    if (mergeOnRead) {
      properties.put(DeltaTable.DELETION_VECTORS, "true");
    }
    DeltaTable table = DeltaTable.openOrCreate(store, TableStores.tablePath(config, config.tableName()), layout.schema(),
        layout.partitionColumns(), properties);
    if (mergeOnRead) {
      // An existing copy-on-write table gains the deletionVectors feature (a protocol upgrade).
      table.enableDeletionVectors();
    }
    return new SinkTables(Map.of(), Map.of(), model, layout, table);
  }
}
