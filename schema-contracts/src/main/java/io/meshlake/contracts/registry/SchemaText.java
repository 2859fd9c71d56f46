package io.meshlake.contracts.registry;

import java.util.List;

/** A protobuf schema as the registry stores it: the .proto text of one file and its references. */
public record SchemaText(String schema, List<SchemaReference> references) {
  public SchemaText {
    if (schema == null || schema.isBlank()) {
      throw new IllegalArgumentException("schema text is empty");
    }
    references = references == null ? List.of() : List.copyOf(references);
  }

  public static SchemaText of(String schema) {
    return new SchemaText(schema, List.of());
  }
}
