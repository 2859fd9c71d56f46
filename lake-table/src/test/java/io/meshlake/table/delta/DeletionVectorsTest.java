package io.meshlake.table.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.deletionvectors.DeletionVectorStoredBitmap;
import io.meshlake.table.parquet.DataFileWriter;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class DeletionVectorsTest {

  static final TableSchema SCHEMA = new TableSchema(List.of(
      new ColumnType.Field("workspace_id", ColumnType.Primitive.STRING),
      new ColumnType.Field("id", ColumnType.Primitive.STRING),
      new ColumnType.Field("_version", ColumnType.Primitive.LONG)));

  @TempDir Path dir;

  @Test
  void bitmapsRoundTripInTheProtocolsPortableFormat() throws Exception {
    RoaringBitmap positions = RoaringBitmap.bitmapOf(0, 3, 70_000, 1 << 20);
    byte[] data = DeletionVectors.serialize(positions);
    // magic 1681511377 little-endian, then one bitmap
    assertThat(data[0] & 0xff).isEqualTo(0xD1);
    assertThat(data[3] & 0xff).isEqualTo(0x64);
    assertThat(DeletionVectors.deserialize(data)).isEqualTo(positions);
    assertThat(DeletionVectors.deserialize(DeletionVectors.serialize(new RoaringBitmap()))).isEqualTo(new RoaringBitmap());
  }

  @Test
  void rowsMarkedDeletedAreGoneForMeshlakesScannerAndForKernelsOwnReader() throws Exception {
    LocalTableStore store = new LocalTableStore(dir);
    DeltaTable table = DeltaTable.openOrCreate(store, "t", SCHEMA, List.of("workspace_id"), Map.of(DeltaTable.DELETION_VECTORS, "true"));
    assertThat(table.deletionVectorsEnabled(table.latest())).isTrue();
    DataFileWriter writer = new DataFileWriter(store, table.path(), "workspace_id=w/f.parquet", table.fileSchema(), CompressionCodecName.SNAPPY, 1 << 20);
    for (int i = 0; i < 10; i++) {
      writer.write(new Object[] {"k" + i, 1L});
    }
    writer.close();
    table.commit(table.latest(), DeltaTable.Changes.of(List.of(new NewFile(writer.result(), Map.of("workspace_id", "w"), Map.of())), List.of()),
        Optional.empty(), 0, Map.of());

    // First deletion: rows 2 and 5.
    TableFile file = table.files(table.latest(), Map.of(), f -> true).get(0);
    TableFile.DeletionVector dv1 = DeletionVectors.write(store, table.path(), List.of(RoaringBitmap.bitmapOf(2, 5))).get(0);
    table.commit(table.latest(), new DeltaTable.Changes(List.of(), List.of(), List.of(new DeltaTable.DeletionVectorUpdate(file, dv1)), true),
        Optional.empty(), 0, Map.of());
    // Second: the vector grows to 2, 5, 9 — the file's previous (path, vector) is removed in the same commit.
    file = table.files(table.latest(), Map.of(), f -> true).get(0);
    assertThat(file.deletionVector()).contains(dv1);
    TableFile.DeletionVector dv2 = DeletionVectors.write(store, table.path(), List.of(RoaringBitmap.bitmapOf(2, 5, 9))).get(0);
    table.commit(table.latest(), new DeltaTable.Changes(List.of(), List.of(), List.of(new DeltaTable.DeletionVectorUpdate(file, dv2)), true),
        Optional.empty(), 0, Map.of());

    List<TableFile> live = table.files(table.latest(), Map.of(), f -> true);
    assertThat(live).singleElement().satisfies(f -> {
      assertThat(f.deletionVector()).contains(dv2);
      assertThat(f.numRecords()).isEqualTo(10);
      assertThat(f.liveRecords()).isEqualTo(7);
    });
    List<String> ours = TableScanner.readAll(table).stream().map(r -> (String) r[1]).sorted().toList();
    assertThat(ours).containsExactly("k0", "k1", "k3", "k4", "k6", "k7", "k8");

    // Kernel's reader applies the vector it reads from our file.
    List<String> kernels = KernelReader.rows(store.engine(), table.path()).stream().map(r -> (String) r.get("id")).sorted()
        .collect(Collectors.toList());
    assertThat(kernels).isEqualTo(ours);
    // And Kernel's own bitmap loader decodes our DV file byte for byte.
    DeletionVectorDescriptor descriptor = new DeletionVectorDescriptor("u", dv2.pathOrInline(), Optional.of(dv2.offset()), dv2.sizeInBytes(), dv2.cardinality());
    long[] positions = new DeletionVectorStoredBitmap(descriptor, Optional.of(table.path())).load(store.engine().getFileSystemClient()).toArray();
    assertThat(positions).containsExactly(2, 5, 9);
    try (var files = Files.list(dir.resolve("t"))) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("deletion_vector_"))).hasSize(2);
    }
  }

  @Test
  void aCorruptedVectorIsRefusedNotMisread() throws Exception {
    LocalTableStore store = new LocalTableStore(dir);
    TableFile.DeletionVector dv = DeletionVectors.write(store, "t2", List.of(RoaringBitmap.bitmapOf(1, 2, 3))).get(0);
    Path file;
    try (var files = Files.list(dir.resolve("t2"))) {
      file = files.filter(p -> p.getFileName().toString().startsWith("deletion_vector_")).findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 0x40;
    Files.write(file, bytes);
    assertThatThrownBy(() -> DeletionVectors.read(store, "t2", dv)).hasMessageContaining("checksum");
  }
}
