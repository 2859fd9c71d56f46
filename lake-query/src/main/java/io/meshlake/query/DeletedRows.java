package io.meshlake.query;

import io.meshlake.table.delta.DeletionVectors;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableFile;
import java.io.IOException;

/**
 * The rows a data file's deletion vector marks deleted, as 0-based positions in file order (the
 * {@code file_row_number} DuckDB reports). {@link LakeQuery} reads them from the table with
 * lake-table's {@link DeletionVectors}; tests substitute their own.
 */
@FunctionalInterface
interface DeletedRows {

  long[] positions(DeltaTable table, TableFile file) throws IOException;

  /** The positions the file's deletion vector holds (checked against its size, checksum and cardinality). */
  static DeletedRows fromDeletionVectors() {
    return (table, file) -> {
      TableFile.DeletionVector dv = file.deletionVector().orElseThrow();
      int[] positions = DeletionVectors.read(table.store(), table.path(), dv).toArray();
      long[] out = new long[positions.length];
      for (int i = 0; i < positions.length; i++) {
        out[i] = positions[i];
      }
      return out;
    };
  }
}
