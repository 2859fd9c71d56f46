package io.meshlake.table.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.kernel.data.Row;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.RemoveFile;
import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.util.VectorUtils;
import io.delta.kernel.statistics.DataFileStatistics;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.DataFileStatus;
import io.meshlake.table.parquet.FileStats;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that builds and reads Delta log actions through Kernel's internal classes (public
 * Kernel cannot yet express removes, tags or deletion vectors). Everything else uses the
 * {@link TableFile} and {@link NewFile} records.
 */
final class DeltaActions {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DeltaActions() {}

  /** An {@code add} action for a new file, with statistics and, optionally, a deletion vector. */
  static AddFile add(TableSchema fileSchema, URI tableRoot, String qualifiedPath, NewFile file, boolean dataChange,
      Optional<TableFile.DeletionVector> deletionVector) {
    StructType physicalSchema = KernelTypes.structType(fileSchema);
    DataFileStatus status = new DataFileStatus(qualifiedPath, file.file().sizeBytes(), file.file().modificationTime(),
        Optional.of(statistics(fileSchema, file.file().stats())));
    Map<String, Literal> partitionValues = new HashMap<>();
    file.partitionValues().forEach((k, v) -> partitionValues.put(k, v == null ? Literal.ofNull(io.delta.kernel.types.StringType.STRING) : Literal.ofString(v)));
    AddFile add = AddFile.convertDataFileStatus(physicalSchema, tableRoot, status, partitionValues, dataChange,
        file.tags(), Optional.empty(), Optional.empty(), deletionVector.map(DeltaActions::descriptor));
    return add;
  }

  static Row addAction(AddFile add) {
    return SingleAction.createAddFileSingleAction(add.toRow());
  }

  /** A {@code remove} action for a live file. */
  static Row remove(TableFile file, boolean dataChange) {
    AddFile add = (AddFile) file.action();
    Row remove = add.toRemoveFileRow(dataChange, Optional.of(System.currentTimeMillis()));
    // Statistics are optional on a remove and no reader uses them; every merge-on-read commit
    // removes each file whose deletion vector grows, so leaving them out halves the log it writes.
    Map<Integer, Object> withoutStats = new HashMap<>();
    withoutStats.put(RemoveFile.FULL_SCHEMA.indexOf("stats"), null);
    return SingleAction.createRemoveFileSingleAction(new io.delta.kernel.internal.data.DelegateRow(remove, withoutStats));
  }

  /**
   * The same data file again with a new deletion vector: the protocol's way to mark more of its
   * rows deleted (the remove of the file with its previous vector goes in the same commit).
   */
  static AddFile withDeletionVector(TableFile file, TableFile.DeletionVector deletionVector) {
    AddFile add = (AddFile) file.action();
    Map<Integer, Object> overrides = new HashMap<>();
    overrides.put(AddFile.FULL_SCHEMA.indexOf("deletionVector"), descriptor(deletionVector).toRow());
    overrides.put(AddFile.FULL_SCHEMA.indexOf("dataChange"), true);
    overrides.put(AddFile.FULL_SCHEMA.indexOf("modificationTime"), System.currentTimeMillis());
    return new AddFile(new io.delta.kernel.internal.data.DelegateRow(add.toRow(), overrides));
  }

  /** Reads a live file from a scan-file row ({@code add} struct with stats). */
  static TableFile tableFile(Row scanFileRow, Map<String, ColumnType.Primitive> boundColumns) {
    return tableFile(new AddFile(scanFileRow.getStruct(0)), boundColumns);
  }

  /** Reads a live file from its add action. */
  static TableFile tableFile(AddFile add, Map<String, ColumnType.Primitive> boundColumns) {
    Map<String, String> partitionValues = VectorUtils.toJavaMap(add.getPartitionValues());
    Map<String, String> tags = add.getTags().map(VectorUtils::<String, String>toJavaMap).orElse(Map.of());
    long numRecords = -1;
    Map<String, Object> min = new HashMap<>();
    Map<String, Object> max = new HashMap<>();
    if (add.getStatsJson().isPresent()) {
      try {
        JsonNode stats = JSON.readTree(add.getStatsJson().get());
        numRecords = stats.path("numRecords").asLong(-1);
        boundColumns.forEach((column, type) -> {
          JsonNode lo = stats.path("minValues").get(column);
          JsonNode hi = stats.path("maxValues").get(column);
          if (lo != null && !lo.isNull()) {
            min.put(column, jsonValue(lo, type));
          }
          if (hi != null && !hi.isNull()) {
            max.put(column, jsonValue(hi, type));
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable stats of " + add.getPath(), e);
      }
    }
    Optional<TableFile.DeletionVector> dv = add.getDeletionVector().map(d -> new TableFile.DeletionVector(
        d.getStorageType(), d.getPathOrInlineDv(), d.getOffset().orElse(0), d.getSizeInBytes(), d.getCardinality()));
    return new TableFile(add.getPath(), partitionValues, add.getSize(), numRecords, min, max, tags, dv, add);
  }

  private static Object jsonValue(JsonNode node, ColumnType.Primitive type) {
    return switch (type) {
      case STRING -> node.asText();
      case LONG -> node.asLong();
      case INT -> node.asInt();
      case DOUBLE -> node.asDouble();
      case FLOAT -> (float) node.asDouble();
      case BOOLEAN -> node.asBoolean();
      default -> node.asText();
    };
  }

  static DeletionVectorDescriptor descriptor(TableFile.DeletionVector dv) {
    return new DeletionVectorDescriptor(dv.storageType(), dv.pathOrInline(),
        dv.storageType().equals("i") ? Optional.empty() : Optional.of(dv.offset()), dv.sizeInBytes(), dv.cardinality());
  }

  static DataFileStatistics statistics(TableSchema fileSchema, FileStats stats) {
    Map<Column, Literal> min = new HashMap<>();
    Map<Column, Literal> max = new HashMap<>();
    Map<Column, Long> nulls = new HashMap<>();
    for (ColumnType.Field f : fileSchema.fields()) {
      if (!(f.type() instanceof ColumnType.Primitive p)) {
        continue;
      }
      Column column = new Column(f.name());
      if (stats.min().containsKey(f.name())) {
        min.put(column, KernelTypes.literal(p, stats.min().get(f.name())));
      }
      if (stats.max().containsKey(f.name())) {
        max.put(column, KernelTypes.literal(p, stats.max().get(f.name())));
      }
      if (stats.nullCount().containsKey(f.name())) {
        nulls.put(column, stats.nullCount().get(f.name()));
      }
    }
    return new DataFileStatistics(stats.numRecords(), min, max, nulls, Optional.empty());
  }
}
