package io.meshlake.contracts.manifest;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a model's rows are written into its table. */
public enum WriterType {
  /** Every event becomes a row, verbatim. */
  APPEND("Append"),
  /** One row per primary key: the highest version wins, a tombstone deletes. */
  MERGE("Merge"),
  /** Child rows of a parent's repeated field; a newer parent version replaces all its children. */
  MERGE_EXPLODED("MergeExploded");

  private final String manifestName;

  WriterType(String manifestName) {
    this.manifestName = manifestName;
  }

  public String manifestName() {
    return manifestName;
  }

  /** Parses the manifest spelling ({@code Append}, {@code Merge}, {@code MergeExploded}) or the enum name. */
  public static WriterType parse(String value) {
    for (WriterType type : values()) {
      if (type.manifestName.equalsIgnoreCase(value) || type.name().equalsIgnoreCase(value)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown writer type '" + value + "'; expected one of "
        + Arrays.stream(values()).map(WriterType::manifestName).collect(Collectors.joining(", ")));
  }
}
