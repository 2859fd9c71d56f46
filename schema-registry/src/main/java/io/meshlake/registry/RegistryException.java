package io.meshlake.registry;

/**
 * A failure the REST API reports to the client as Confluent does: {@code {"error_code":40401,
 * "message":"Subject 'x' not found."}}, with the HTTP status being the first three digits of the
 * error code.
 */
public final class RegistryException extends RuntimeException {

  private final int errorCode;

  public RegistryException(int errorCode, String message) {
    super(message);
    this.errorCode = errorCode;
  }

  public RegistryException(int errorCode, String message, Throwable cause) {
    super(message, cause);
    this.errorCode = errorCode;
  }

  public int errorCode() {
    return errorCode;
  }

  /** 40401 → 404, 409 → 409. */
  public int httpStatus() {
    int code = errorCode;
    while (code >= 1000) {
      code /= 10;
    }
    return code;
  }

  public static RegistryException subjectNotFound(String subject) {
    return new RegistryException(40401, "Subject '" + subject + "' not found.");
  }

  public static RegistryException versionNotFound(int version) {
    return new RegistryException(40402, "Version " + version + " not found.");
  }

  public static RegistryException schemaNotFound() {
    return new RegistryException(40403, "Schema not found");
  }

  public static RegistryException schemaIdNotFound(int id) {
    return new RegistryException(40403, "Schema " + id + " not found");
  }

  public static RegistryException subjectSoftDeleted(String subject) {
    return new RegistryException(
        40404, "Subject '" + subject + "' was soft deleted.Set permanent=true to delete permanently");
  }

  public static RegistryException subjectNotSoftDeleted(String subject) {
    return new RegistryException(
        40405, "Subject '" + subject + "' was not deleted first before being permanently deleted");
  }

  public static RegistryException versionSoftDeleted(String subject, int version) {
    return new RegistryException(
        40406,
        "Subject '" + subject + "' Version " + version + " was soft deleted.Set permanent=true to delete permanently");
  }

  public static RegistryException versionNotSoftDeleted(String subject, int version) {
    return new RegistryException(
        40407,
        "Subject '" + subject + "' Version " + version + " was not deleted first before being permanently deleted");
  }

  public static RegistryException subjectConfigNotFound(String subject) {
    return new RegistryException(
        40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
  }

  public static RegistryException invalidSchema(String message) {
    return new RegistryException(42201, message);
  }

  public static RegistryException invalidVersion(String version) {
    return new RegistryException(
        42202,
        "The specified version '" + version + "' is not a valid version id. Allowed values are between [1, 2^31-1]"
            + " and the string \"latest\"");
  }

  public static RegistryException invalidCompatibilityLevel(String level) {
    return new RegistryException(
        42203,
        "Invalid compatibility level '" + level + "'. Valid values are NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD,"
            + " FORWARD_TRANSITIVE, FULL and FULL_TRANSITIVE");
  }

  public static RegistryException referenceExists(String subject, int version) {
    return new RegistryException(
        42206, "One or more references exist to the schema {subject=" + subject + ",version=" + version + "}.");
  }

  public static RegistryException storeError(String message, Throwable cause) {
    return new RegistryException(50001, message, cause);
  }
}
