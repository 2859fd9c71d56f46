package io.meshlake.sink.writer;

import java.util.List;

/**
 * The newest change of one entity in a batch, as a model sees it: the rows the entity now has in the
 * model's table (file layout), or none — a tombstone, or an entity the model's filter no longer
 * selects — which deletes the rows it had.
 */
public record GroupOp(String resourceAri, String workspace, long generation, long version, List<Object[]> rows) {

  /** Whether this change is strictly newer than (generation, version): last write wins. */
  public boolean newerThan(long otherGeneration, long otherVersion) {
    return generation != otherGeneration ? generation > otherGeneration : version > otherVersion;
  }

  public boolean isDelete() {
    return rows.isEmpty();
  }
}
