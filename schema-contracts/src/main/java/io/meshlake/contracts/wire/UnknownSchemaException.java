package io.meshlake.contracts.wire;

/** The frame names a schema id the registry does not know. */
public class UnknownSchemaException extends WireFormatException {
  private final int schemaId;

  public UnknownSchemaException(int schemaId, String message, Throwable cause) {
    super(message, cause);
    this.schemaId = schemaId;
  }

  public int schemaId() {
    return schemaId;
  }
}
