package io.meshlake.table.delta;

import java.util.Map;
import java.util.Optional;

/**
 * A data file that is live in a snapshot: its path relative to the table root, partition values,
 * size, row count, the min/max of the columns the writer asked for (empty when unknown), its tags,
 * and its deletion vector if it has one. {@code action} is the log action it came from, opaque
 * outside {@link DeltaActions}.
 */
public record TableFile(
    String path,
    Map<String, String> partitionValues,
    long sizeBytes,
    long numRecords,
    Map<String, Object> min,
    Map<String, Object> max,
    Map<String, String> tags,
    Optional<DeletionVector> deletionVector,
    Object action) {

  /** A file's deletion vector as the log describes it. */
  public record DeletionVector(String storageType, String pathOrInline, int offset, int sizeInBytes, long cardinality) {}

  public String partition(String column) {
    return partitionValues.get(column);
  }

  /** Rows of the file that are not marked deleted. */
  public long liveRecords() {
    return numRecords - deletionVector.map(DeletionVector::cardinality).orElse(0L);
  }
}
