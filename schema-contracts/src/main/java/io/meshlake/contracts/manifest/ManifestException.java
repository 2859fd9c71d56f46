package io.meshlake.contracts.manifest;

/** A manifest or the catalog is invalid; the message names the file and the field. */
public class ManifestException extends RuntimeException {
  public ManifestException(String message) {
    super(message);
  }

  public ManifestException(String message, Throwable cause) {
    super(message, cause);
  }
}
