package io.meshlake.table.storage;

import io.delta.kernel.defaults.engine.fileio.FileIO;
import io.delta.kernel.engine.Engine;
import io.meshlake.table.delta.TableEngine;
import java.io.IOException;

/**
 * Where tables live: a local directory or an S3 bucket. It is Delta Kernel's {@link FileIO} (so
 * Kernel reads and commits through it, with put-if-absent commits that are atomic across processes)
 * and it reads and writes the data files the sink produces itself.
 */
public interface TableStore extends FileIO {

  /** The fully qualified location of a path under this store's root, e.g. {@code file:/data/lake/t}. */
  String qualify(String relativeOrAbsolute);

  /** Writes a whole object, replacing any previous one (data files and deletion vectors are never rewritten in place). */
  void writeBytes(String path, byte[] bytes) throws IOException;

  /** Streams a new object; the object becomes visible when the stream is closed. */
  java.io.OutputStream create(String path) throws IOException;

  byte[] readBytes(String path) throws IOException;

  /** A parquet-mr view of an object, for reading data files back. */
  org.apache.parquet.io.InputFile parquetInput(String path) throws IOException;

  default Engine engine() {
    return TableEngine.create(this);
  }
}
