package io.meshlake.registry;

/**
 * An import of one schema by another, as in Confluent's API: {@code name} is the import path used in
 * the importing .proto text, {@code subject}/{@code version} where that file is registered.
 */
public record SchemaReference(String name, String subject, int version) {

  @Override
  public String toString() {
    return name + " -> " + subject + "/" + version;
  }
}
