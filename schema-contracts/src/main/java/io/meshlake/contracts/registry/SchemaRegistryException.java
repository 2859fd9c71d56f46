package io.meshlake.contracts.registry;

/**
 * An error answered by the registry (Confluent's {@code error_code} and message), or a failure to
 * reach it ({@code errorCode} -1).
 */
public class SchemaRegistryException extends RuntimeException {
  public static final int SUBJECT_NOT_FOUND = 40401;
  public static final int VERSION_NOT_FOUND = 40402;
  public static final int SCHEMA_NOT_FOUND = 40403;
  public static final int INVALID_SCHEMA = 42201;
  public static final int INCOMPATIBLE = 409;

  private final int httpStatus;
  private final int errorCode;

  public SchemaRegistryException(int httpStatus, int errorCode, String message) {
    super(message);
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  public SchemaRegistryException(String message, Throwable cause) {
    super(message, cause);
    this.httpStatus = -1;
    this.errorCode = -1;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int errorCode() {
    return errorCode;
  }

  public boolean isNotFound() {
    return httpStatus == 404;
  }
}
