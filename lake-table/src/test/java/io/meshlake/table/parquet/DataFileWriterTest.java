package io.meshlake.table.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roaringbitmap.RoaringBitmap;

class DataFileWriterTest {

  static final ColumnType.Struct CUSTOM_FIELD = new ColumnType.Struct(List.of(
      new ColumnType.Field("name", Primitive.STRING),
      new ColumnType.Field("number", Primitive.DOUBLE),
      new ColumnType.Field("tags", new ColumnType.Array(Primitive.STRING))));

  static final TableSchema SCHEMA = new TableSchema(List.of(
      new ColumnType.Field("resource_ari", Primitive.STRING),
      new ColumnType.Field("version", Primitive.LONG),
      new ColumnType.Field("points", Primitive.INT),
      new ColumnType.Field("score", Primitive.DOUBLE),
      new ColumnType.Field("ratio", Primitive.FLOAT),
      new ColumnType.Field("resolved", Primitive.BOOLEAN),
      new ColumnType.Field("payload", Primitive.BINARY),
      new ColumnType.Field("created_at", Primitive.TIMESTAMP),
      new ColumnType.Field("due", Primitive.DATE),
      new ColumnType.Field("status", Primitive.STRING),
      new ColumnType.Field("description", Primitive.STRING),
      new ColumnType.Field("labels", new ColumnType.Array(Primitive.STRING)),
      new ColumnType.Field("custom_fields", new ColumnType.Array(CUSTOM_FIELD)),
      new ColumnType.Field("project", new ColumnType.Struct(List.of(
          new ColumnType.Field("id", Primitive.STRING),
          new ColumnType.Field("rank", Primitive.LONG))))));

  @TempDir
  Path dir;

  /**
   * Files written one after another, interleaved as a sink task writes one file per workspace, reuse
   * pooled column buffers still holding the previous files' bytes: every file still reads back as written.
   */
  @Test
  void interleavedFilesReusingPooledBuffersReadBackAsWritten() throws Exception {
    Random random = new Random(5);
    LocalTableStore store = new LocalTableStore(dir);
    for (int round = 0; round < 4; round++) {
      int files = 1 + random.nextInt(6);
      List<DataFileWriter> writers = new ArrayList<>();
      List<List<Object[]>> written = new ArrayList<>();
      for (int f = 0; f < files; f++) {
        writers.add(new DataFileWriter(store, "t", "r" + round + "-" + f + ".snappy.parquet", SCHEMA,
            CompressionCodecName.SNAPPY, 1 << 20, Set.of("status")));
        written.add(new ArrayList<>());
      }
      int rowCount = random.nextInt(3_000);
      for (int i = 0; i < rowCount; i++) {
        int f = random.nextInt(files);
        Object[] row = row(random, i);
        writers.get(f).write(row);
        written.get(f).add(row);
      }
      for (int f = 0; f < files; f++) {
        DataFileWriter writer = writers.get(f);
        writer.close();
        assertThatThrownBy(() -> writer.write(row(random, 0))).isInstanceOf(IllegalStateException.class);
        List<Object[]> read = DataFileReader.readAll(store.parquetInput(writer.qualifiedPath()), SCHEMA);
        assertThat(read).hasSize(written.get(f).size());
        for (int i = 0; i < read.size(); i++) {
          assertThat(Arrays.deepToString(normalize(read.get(i)))).as("round %d file %d row %d", round, f, i)
              .isEqualTo(Arrays.deepToString(normalize(written.get(f).get(i))));
        }
      }
    }
    assertThat(BufferPool.SHARED.pooledBytes()).isPositive().isLessThanOrEqualTo(BufferPool.MAX_POOLED_BYTES);
  }

  @Test
  void rowsOfEveryTypeNestingAndNullReadBackAsWrittenAcrossPagesAndRowGroups() throws Exception {
    Random random = new Random(42);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      rows.add(row(random, i));
    }
    LocalTableStore store = new LocalTableStore(dir);
    // 1 MiB row groups over ~6 MB of descriptions: several row groups, several pages per column.
    DataFileWriter writer = new DataFileWriter(store, "t", "f.snappy.parquet", SCHEMA, CompressionCodecName.SNAPPY, 1 << 20,
        Set.of("status"));
    for (Object[] row : rows) {
      writer.write(row);
    }
    writer.close();

    List<Object[]> read = DataFileReader.readAll(store.parquetInput(writer.qualifiedPath()), SCHEMA);
    assertThat(read).hasSize(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      assertThat(Arrays.deepToString(normalize(read.get(i)))).as("row %d", i).isEqualTo(Arrays.deepToString(normalize(rows.get(i))));
    }
    assertThat(writer.result().sizeBytes()).isEqualTo(java.nio.file.Files.size(dir.resolve("t/f.snappy.parquet")));
    assertThat(writer.result().stats().numRecords()).isEqualTo(rows.size());

    try (ParquetFileReader reader = ParquetFileReader.open(store.parquetInput(writer.qualifiedPath()))) {
      ParquetMetadata footer = reader.getFooter();
      assertThat(footer.getBlocks()).hasSizeGreaterThan(2);
      assertThat(footer.getFileMetaData().getKeyValueMetaData()).containsEntry("writer", "meshlake");
      long firstRow = 0;
      for (BlockMetaData block : footer.getBlocks()) {
        List<Object[]> groupRows = rows.subList((int) firstRow, (int) (firstRow + block.getRowCount()));
        firstRow += block.getRowCount();
        // Numbers: exact min/max and null counts, so readers can prune row groups.
        Statistics<?> version = column(block, "version").getStatistics();
        assertThat(version.genericGetMin()).isEqualTo(groupRows.stream().filter(r -> r[1] != null).mapToLong(r -> (Long) r[1]).min().orElseThrow());
        assertThat(version.genericGetMax()).isEqualTo(groupRows.stream().filter(r -> r[1] != null).mapToLong(r -> (Long) r[1]).max().orElseThrow());
        assertThat(version.getNumNulls()).isEqualTo(groupRows.stream().filter(r -> r[1] == null).count());
        Statistics<?> ari = column(block, "resource_ari").getStatistics();
        String minAri = groupRows.stream().map(r -> (String) r[0]).min(String::compareTo).orElseThrow();
        assertThat(ari.genericGetMin()).isEqualTo(Binary.fromString(minAri));
        Statistics<?> status = column(block, "status").getStatistics();
        assertThat(status.hasNonNullValue()).isTrue();
        // Long text: no min/max, and so no column index that could claim a page is all null.
        ColumnChunkMetaData description = column(block, "description");
        assertThat(description.getStatistics().hasNonNullValue()).isFalse();
        assertThat(reader.readColumnIndex(description)).isNull();
        ColumnIndex versionIndex = reader.readColumnIndex(column(block, "version"));
        assertThat(versionIndex).isNotNull();
        assertThat(reader.readOffsetIndex(column(block, "description")).getPageCount()).isGreaterThan(0);
      }
      assertThat(firstRow).isEqualTo(rows.size());
      // Pages are cut at ~256 KiB: the description column of a 1 MiB row group spans several.
      assertThat(reader.readOffsetIndex(column(footer.getBlocks().get(0), "description")).getPageCount()).isGreaterThan(1);
    }
  }

  /**
   * Deleted positions are skipped without assembling their rows: the live rows and their positions are
   * those of the whole file minus the deleted ones, across row groups and nested, repeated and null
   * values, with deletions at the file's and the row groups' first and last rows and in runs.
   */
  @Test
  void deletedRowsAreSkippedAndLiveRowsKeepTheirPositionsAcrossRowGroups() throws Exception {
    Random random = new Random(7);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 6_000; i++) {
      rows.add(row(random, i));
    }
    LocalTableStore store = new LocalTableStore(dir);
    DataFileWriter writer = new DataFileWriter(store, "t", "dv.snappy.parquet", SCHEMA, CompressionCodecName.SNAPPY, 1 << 20);
    for (Object[] row : rows) {
      writer.write(row);
    }
    writer.close();
    RoaringBitmap deleted = new RoaringBitmap();
    try (ParquetFileReader reader = ParquetFileReader.open(store.parquetInput(writer.qualifiedPath()))) {
      assertThat(reader.getFooter().getBlocks()).hasSizeGreaterThan(2);
      long first = 0;
      for (BlockMetaData block : reader.getFooter().getBlocks()) {
        deleted.add((int) first);
        deleted.add((int) (first + block.getRowCount() - 1));
        first += block.getRowCount();
      }
    }
    deleted.add(100L, 1_100L);
    for (int i = 0; i < rows.size(); i += 3) {
      deleted.add(i);
    }

    List<Long> positions = new ArrayList<>();
    List<String> live = new ArrayList<>();
    DataFileReader.readPositions(store.parquetInput(writer.qualifiedPath()), SCHEMA, deleted, (position, row) -> {
      positions.add(position);
      live.add(Arrays.deepToString(normalize(row)));
    });
    List<Long> expectedPositions = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (!deleted.contains(i)) {
        expectedPositions.add((long) i);
        expected.add(Arrays.deepToString(normalize(rows.get(i))));
      }
    }
    assertThat(positions).isEqualTo(expectedPositions);
    assertThat(live).isEqualTo(expected);

    // The cursor (self-compaction's reader) and a projection of two columns agree.
    TableSchema keys = new TableSchema(List.of(SCHEMA.fields().get(0), SCHEMA.fields().get(1)));
    try (DataFileReader.Cursor cursor = DataFileReader.open(store.parquetInput(writer.qualifiedPath()), keys, deleted)) {
      for (long position : expectedPositions) {
        assertThat(cursor.next()).isTrue();
        assertThat(cursor.position()).isEqualTo(position);
        assertThat(cursor.row()[0]).isEqualTo(rows.get((int) position)[0]);
      }
      assertThat(cursor.next()).isFalse();
    }
    RoaringBitmap all = new RoaringBitmap();
    all.add(0L, (long) rows.size());
    assertThat(DataFileReader.readAll(store.parquetInput(writer.qualifiedPath()), SCHEMA)).hasSize(rows.size());
    List<Object[]> none = new ArrayList<>();
    DataFileReader.read(store.parquetInput(writer.qualifiedPath()), SCHEMA, all, none::add);
    assertThat(none).as("every row deleted").isEmpty();
  }

  /** A raw table hands its entity's strings over as the UTF-8 bytes they arrived as (slices of the record): the same file, the same statistics. */
  @Test
  void stringsGivenAsUtf8BytesWriteTheSameFileAndStatisticsAsStrings() throws Exception {
    Random random = new Random(11);
    LocalTableStore store = new LocalTableStore(dir);
    DataFileWriter asStrings = new DataFileWriter(store, "t", "strings.snappy.parquet", SCHEMA, CompressionCodecName.SNAPPY,
        1 << 20, Set.of("status"));
    DataFileWriter asBytes = new DataFileWriter(store, "t", "bytes.snappy.parquet", SCHEMA, CompressionCodecName.SNAPPY,
        1 << 20, Set.of("status"));
    DataFileWriter asSlices = new DataFileWriter(store, "t", "slices.snappy.parquet", SCHEMA, CompressionCodecName.SNAPPY,
        1 << 20, Set.of("status"));
    // One array for every row's slices, overwritten once each row is written: the writer may not keep them.
    byte[] record = new byte[1 << 16];
    for (int i = 0; i < 3_000; i++) {
      Object[] row = row(random, i);
      asStrings.write(row);
      asBytes.write((Object[]) utf8(row));
      int[] end = {7};
      asSlices.write((Object[]) sliced(row, record, end));
      java.util.Arrays.fill(record, (byte) 'z');
    }
    asStrings.close();
    asBytes.close();
    asSlices.close();
    byte[] fromStrings = java.nio.file.Files.readAllBytes(dir.resolve("t/strings.snappy.parquet"));
    assertThat(java.nio.file.Files.readAllBytes(dir.resolve("t/bytes.snappy.parquet"))).isEqualTo(fromStrings);
    assertThat(java.nio.file.Files.readAllBytes(dir.resolve("t/slices.snappy.parquet"))).isEqualTo(fromStrings);
    assertThat(asBytes.result().stats()).isEqualTo(asStrings.result().stats());
    assertThat(asSlices.result().stats()).isEqualTo(asStrings.result().stats());
    assertThat(asBytes.result().stats().min()).containsKeys("resource_ari", "status", "description");
  }

  /** The value with every string's UTF-8 bytes copied into {@code record} at {@code end[0]} and given as a slice of it. */
  private static Object sliced(Object value, byte[] record, int[] end) {
    return mapLeaves(value, v -> {
      if (!(v instanceof String s)) {
        return v;
      }
      byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      System.arraycopy(utf8, 0, record, end[0], utf8.length);
      ByteSlice slice = new ByteSlice(record, end[0], utf8.length);
      end[0] += utf8.length + 3;
      return slice;
    });
  }

  /** The log's statistics bound each top-level column in its type's own order; long strings get a prefix minimum and no maximum. */
  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void fileStatisticsBoundEveryColumnInItsTypesOrder() throws Exception {
    Random random = new Random(23);
    LocalTableStore store = new LocalTableStore(dir);
    DataFileWriter writer = new DataFileWriter(store, "t", "stats.snappy.parquet", SCHEMA, CompressionCodecName.SNAPPY,
        1 << 20, Set.of("status"));
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      rows.add(row(random, i));
      writer.write(rows.get(i));
    }
    writer.close();
    FileStats stats = writer.result().stats();
    for (int c = 0; c < SCHEMA.size(); c++) {
      String name = SCHEMA.fields().get(c).name();
      int column = c;
      List<Comparable> values = rows.stream().map(r -> (Comparable) (r[column] instanceof Comparable v ? v : null))
          .filter(java.util.Objects::nonNull).toList();
      boolean bounded = SCHEMA.fields().get(c).type() instanceof Primitive p && p != Primitive.BINARY;
      if (!bounded) {
        assertThat(stats.min()).as(name).doesNotContainKey(name);
        continue;
      }
      Comparable min = values.stream().min(Comparable::compareTo).orElseThrow();
      Comparable max = values.stream().max(Comparable::compareTo).orElseThrow();
      if (min instanceof String text && text.length() > StatsCollector.MAX_STRING_STAT_LENGTH) {
        min = text.substring(0, StatsCollector.MAX_STRING_STAT_LENGTH);
      }
      assertThat(stats.min()).as(name).containsEntry(name, min);
      if (max instanceof String text && text.length() > StatsCollector.MAX_STRING_STAT_LENGTH) {
        assertThat(stats.max()).as(name).doesNotContainKey(name);
      } else {
        assertThat(stats.max()).as(name).containsEntry(name, max);
      }
      assertThat(stats.nullCount()).as(name).containsEntry(name, rows.stream().filter(r -> r[column] == null).count());
    }

    TableSchema floats = new TableSchema(List.of(new ColumnType.Field("d", Primitive.DOUBLE),
        new ColumnType.Field("f", Primitive.FLOAT), new ColumnType.Field("b", Primitive.BOOLEAN)));
    DataFileWriter special = new DataFileWriter(store, "t", "special.parquet", floats, CompressionCodecName.SNAPPY, 1 << 20);
    special.write(new Object[] {1.0, 1.0f, true});
    special.write(new Object[] {Double.NaN, Float.NaN, true});
    special.write(new Object[] {0.0, 0.0f, true});
    special.write(new Object[] {-0.0, -0.0f, null});
    special.close();
    // As Double and Float order themselves: -0.0 below 0.0, NaN above everything.
    assertThat(special.result().stats().min()).containsEntry("d", -0.0).containsEntry("f", -0.0f).containsEntry("b", true);
    assertThat(special.result().stats().max()).containsEntry("d", Double.NaN).containsEntry("f", Float.NaN).containsEntry("b", true);
  }

  private static Object utf8(Object value) {
    return mapLeaves(value, v -> v instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8) : v);
  }

  /** The row value with every leaf (below structs and lists) replaced by {@code leaf}'s answer. */
  private static Object mapLeaves(Object value, java.util.function.UnaryOperator<Object> leaf) {
    if (value instanceof Object[] struct) {
      Object[] out = new Object[struct.length];
      for (int i = 0; i < struct.length; i++) {
        out[i] = mapLeaves(struct[i], leaf);
      }
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> mapLeaves(v, leaf)).toList();
    }
    return leaf.apply(value);
  }

  @Test
  void anEmptyFileIsAValidParquetFileWithNoRows() throws Exception {
    LocalTableStore store = new LocalTableStore(dir);
    DataFileWriter writer = new DataFileWriter(store, "t", "empty.parquet", SCHEMA, CompressionCodecName.SNAPPY, 1 << 20);
    writer.close();
    assertThat(DataFileReader.readAll(store.parquetInput(writer.qualifiedPath()), SCHEMA)).isEmpty();
    assertThat(writer.result().stats().numRecords()).isZero();
  }

  @Test
  void aCodecOtherThanSnappyOrNoneIsRefusedByName() {
    LocalTableStore store = new LocalTableStore(dir);
    assertThatThrownBy(() -> new DataFileWriter(store, "t", "f.parquet", SCHEMA, CompressionCodecName.GZIP, 1 << 20))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GZIP");
  }

  @Test
  void zerosAndNaNsKeepStatisticsThatNeverExcludeAMatchingValue() throws Exception {
    TableSchema schema = new TableSchema(List.of(new ColumnType.Field("x", Primitive.DOUBLE)));
    LocalTableStore store = new LocalTableStore(dir);
    DataFileWriter zeros = new DataFileWriter(store, "t", "zeros.parquet", schema, CompressionCodecName.SNAPPY, 1 << 20);
    zeros.write(new Object[] {0.0});
    zeros.write(new Object[] {-0.0});
    zeros.close();
    DataFileWriter nan = new DataFileWriter(store, "t", "nan.parquet", schema, CompressionCodecName.UNCOMPRESSED, 1 << 20);
    nan.write(new Object[] {1.0});
    nan.write(new Object[] {Double.NaN});
    nan.close();
    try (ParquetFileReader reader = ParquetFileReader.open(store.parquetInput(zeros.qualifiedPath()))) {
      Statistics<?> s = reader.getFooter().getBlocks().get(0).getColumns().get(0).getStatistics();
      assertThat(Double.doubleToRawLongBits((Double) s.genericGetMin())).isEqualTo(Double.doubleToRawLongBits(-0.0));
      assertThat(Double.doubleToRawLongBits((Double) s.genericGetMax())).isEqualTo(Double.doubleToRawLongBits(0.0));
    }
    try (ParquetFileReader reader = ParquetFileReader.open(store.parquetInput(nan.qualifiedPath()))) {
      assertThat(reader.getFooter().getBlocks().get(0).getColumns().get(0).getStatistics().hasNonNullValue()).isFalse();
    }
    assertThat(DataFileReader.readAll(store.parquetInput(nan.qualifiedPath()), schema).get(1)[0]).isEqualTo(Double.NaN);
  }

  private static ColumnChunkMetaData column(BlockMetaData block, String name) {
    return block.getColumns().stream().filter(c -> c.getPath().toDotString().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("the row group has no column " + name));
  }

  private static Object[] row(Random random, int i) {
    boolean sparse = random.nextInt(7) == 0;
    return new Object[] {
        "ari:cloud:jira:ws-" + (i % 13) + ":issue/" + random.nextInt(1_000_000),
        sparse ? null : random.nextLong(),
        sparse ? null : random.nextInt(),
        random.nextInt(9) == 0 ? null : random.nextGaussian(),
        random.nextInt(9) == 0 ? null : random.nextFloat(),
        random.nextInt(5) == 0 ? null : random.nextBoolean(),
        random.nextInt(3) == 0 ? null : bytes(random, random.nextInt(40)),
        sparse ? null : 1_700_000_000_000_000L + random.nextInt(1_000_000),
        sparse ? null : 19_000 + random.nextInt(1_000),
        random.nextInt(6) == 0 ? null : new String[] {"OPEN", "DONE", "IN_PROGRESS"}[random.nextInt(3)],
        random.nextInt(4) == 0 ? null : text(random, random.nextInt(2_000)),
        list(random, () -> random.nextInt(5) == 0 ? null : "label-" + random.nextInt(20)),
        list(random, () -> random.nextInt(6) == 0 ? null : new Object[] {
            random.nextInt(4) == 0 ? null : "field-" + random.nextInt(50),
            random.nextInt(3) == 0 ? null : random.nextDouble(),
            list(random, () -> random.nextInt(4) == 0 ? null : "t" + random.nextInt(3))}),
        random.nextInt(5) == 0 ? null : new Object[] {random.nextInt(4) == 0 ? null : "p-" + random.nextInt(9),
            random.nextInt(4) == 0 ? null : (long) random.nextInt(100)},
    };
  }

  /** null, empty, or a few elements (some null). */
  private static List<Object> list(Random random, java.util.function.Supplier<Object> element) {
    int kind = random.nextInt(4);
    if (kind == 0) {
      return null;
    }
    List<Object> list = new ArrayList<>();
    int n = kind == 1 ? 0 : 1 + random.nextInt(4);
    for (int k = 0; k < n; k++) {
      list.add(element.get());
    }
    return list;
  }

  private static byte[] bytes(Random random, int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private static String text(Random random, int n) {
    StringBuilder sb = new StringBuilder(n);
    for (int k = 0; k < n; k++) {
      // Mostly ASCII with 2-, 3- and 4-byte characters, so UTF-8 lengths differ from char counts.
      switch (random.nextInt(60)) {
        case 0 -> sb.append('é');
        case 1 -> sb.append('中');
        case 2 -> sb.append("\uD83D\uDE00");
        default -> sb.append((char) ('a' + random.nextInt(26)));
      }
    }
    return sb.toString();
  }

  /** byte[] and nested arrays compared by content; lists as arrays. */
  private static Object[] normalize(Object[] row) {
    Object[] out = new Object[row.length];
    for (int i = 0; i < row.length; i++) {
      out[i] = normalizeValue(row[i]);
    }
    return out;
  }

  private static Object normalizeValue(Object v) {
    if (v instanceof byte[] b) {
      return "bytes" + Arrays.toString(b);
    }
    if (v instanceof Object[] a) {
      return normalize(a);
    }
    if (v instanceof List<?> l) {
      return normalize(l.toArray());
    }
    if (v instanceof Float f) {
      return "f" + f;
    }
    return v;
  }
}
