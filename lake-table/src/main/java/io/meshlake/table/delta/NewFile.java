package io.meshlake.table.delta;

import io.meshlake.table.parquet.WrittenFile;
import java.util.Map;
import java.util.Optional;

/**
 * A written data file to add in a commit, with its partition values and ownership tags, and the
 * deletion vector it is added with when some of its rows are already superseded (a merge that wrote
 * an entity's rows twice in one batch marks the older ones).
 */
public record NewFile(WrittenFile file, Map<String, String> partitionValues, Map<String, String> tags,
    Optional<TableFile.DeletionVector> deletionVector) {

  public NewFile(WrittenFile file, Map<String, String> partitionValues, Map<String, String> tags) {
    this(file, partitionValues, tags, Optional.empty());
  }

  public NewFile withDeletionVector(TableFile.DeletionVector dv) {
    return new NewFile(file, partitionValues, tags, Optional.of(dv));
  }
}
