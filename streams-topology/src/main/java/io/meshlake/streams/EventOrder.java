package io.meshlake.streams;

/** The order of two events of one entity: {@code (generation_watermark, version)}, compared lexicographically. */
public record EventOrder(long generationWatermark, long version) implements Comparable<EventOrder> {

  @Override
  public int compareTo(EventOrder other) {
    int byGeneration = Long.compare(generationWatermark, other.generationWatermark);
    return byGeneration != 0 ? byGeneration : Long.compare(version, other.version);
  }

  @Override
  public String toString() {
    return "(" + generationWatermark + ", " + version + ")";
  }
}
