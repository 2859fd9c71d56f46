package io.meshlake.sink.writer;

import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.NewFile;
import io.meshlake.table.parquet.DataFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Writes a workspace's rows into new data files of a table, rolling to a new file at the target
 * size. File names carry the Kafka partition of the writer that owns them, for operators.
 */
public final class DataFiles implements AutoCloseable {

  private final DeltaTable table;
  private final TableLayout layout;
  private final String workspace;
  private final String filePrefix;
  private final Map<String, String> tags;
  private final WriterSettings settings;
  private final List<NewFile> written = new ArrayList<>();
  private DataFileWriter current;
  /**
   * Rows not handed to parquet-mr yet. A task writes to many files at once (one per workspace) and
   * events arrive mixed across them; switching files every row left each file's column writers cold,
   * and writing rows a chunk at a time per file was ~2x faster than row by row (100 files).
   */
  private final List<Object[]> pending = new ArrayList<>(CHUNK_ROWS);
  static final int CHUNK_ROWS = 128;

  public DataFiles(DeltaTable table, TableLayout layout, String workspace, int kafkaPartition, Map<String, String> tags,
      WriterSettings settings) {
    this.table = table;
    this.layout = layout;
    this.workspace = workspace;
    this.filePrefix = "part-" + kafkaPartition + "-";
    this.tags = tags;
    this.settings = settings;
  }

  /**
   * Takes one row given in file layout (partition columns already dropped). Files roll only at
   * {@link #endGroup()}, so one entity's rows (an exploded parent's children) never straddle files.
   */
  public void writeFileRow(Object[] fileRow) {
    pending.add(fileRow);
  }

  /**
   * Ends an entity's rows. Once a chunk of rows is pending they are written, and the file rolls if it
   * reached the target size: a roll happens only here, after a write, so {@link #fileIndex()} and
   * {@link #nextPosition()} of a pending row stay true.
   */
  public void endGroup() {
    if (pending.size() >= CHUNK_ROWS) {
      writeChunk();
    }
  }

  /**
   * Writes the pending rows now, however few: for a writer whose many files together hold too many
   * rows (each file's chunk fills slowly when rows spread over many workspaces). Call it between
   * groups only, as {@link #endGroup()} is.
   */
  public void flushPending() {
    if (!pending.isEmpty()) {
      writeChunk();
    }
  }

  /** Rows taken but not yet handed to parquet-mr. */
  public int pendingRows() {
    return pending.size();
  }

  private void writeChunk() {
    try {
      writePending();
      if (current.bytesWritten() >= settings.targetFileBytes()) {
        roll();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not write a data file of " + table.path(), e);
    }
  }

  private void writePending() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    if (current == null) {
      String relative = TableLayout.partitionDirectory(workspace) + "/" + filePrefix + UUID.randomUUID() + ".snappy.parquet";
      current = new DataFileWriter(table.store(), table.path(), relative, layout.fileSchema(), CompressionCodecName.SNAPPY,
          settings.rowGroupBytes(), layout.lowCardinalityColumns());
    }
    for (Object[] row : pending) {
      current.write(row);
    }
    pending.clear();
  }

  /** The index, among the files this writer returns, of the file the next row goes to. */
  public int fileIndex() {
    return written.size();
  }

  /** The position in its file of the next row written. */
  public int nextPosition() {
    return (current == null ? 0 : (int) current.rowCount()) + pending.size();
  }

  private void roll() throws IOException {
    current.close();
    written.add(new NewFile(current.result(), Map.of(TableLayout.WORKSPACE, workspace), tags));
    current = null;
  }

  /** Closes the open file and returns every file written. */
  public List<NewFile> finish() {
    try {
      writePending();
      if (current != null) {
        roll();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not finish a data file of " + table.path(), e);
    }
    return written;
  }

  /**
   * Abandons what this writer wrote: the files were never committed, so no snapshot refers to them;
   * they are deleted so they do not wait for a vacuum. Best effort: a file left behind is garbage, not data.
   */
  public void abort() {
    pending.clear();
    List<String> paths = new ArrayList<>();
    written.forEach(f -> paths.add(table.store().qualify(table.path() + "/" + f.file().relativePath())));
    if (current != null) {
      try {
        current.close();
      } catch (IOException | RuntimeException ignored) {
        // the file is being abandoned; a half-written one is deleted below or left as garbage
      }
      paths.add(current.qualifiedPath());
      current = null;
    }
    written.clear();
    for (String path : paths) {
      try {
        table.store().delete(path);
      } catch (IOException | RuntimeException ignored) {
        // left for vacuum: nothing refers to it
      }
    }
  }

  /** Whether a row was written since this writer was created. */
  public boolean isEmpty() {
    return current == null && written.isEmpty() && pending.isEmpty();
  }

  @Override
  public void close() {
    finish();
  }
}
