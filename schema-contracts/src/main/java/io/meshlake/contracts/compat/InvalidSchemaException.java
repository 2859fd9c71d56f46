package io.meshlake.contracts.compat;

/**
 * A set of contracts that cannot be checked at all: a .proto syntax error, an import that is neither
 * in the set nor a well-known type, a reference to an unknown type, two fields sharing a number, or a
 * manifest that cannot be read. Distinct from a breaking change: the input itself is wrong.
 */
public final class InvalidSchemaException extends RuntimeException {

  private final String file;
  private final int line;

  /**
   * @param file the import path of the offending file, or null when no single file is to blame
   * @param line the 1-based line of the first problem, or -1 when unknown
   * @param message the full explanation, already naming the file and line
   */
  public InvalidSchemaException(String file, int line, String message) {
    super(message);
    this.file = file;
    this.line = line;
  }

  public InvalidSchemaException(String file, int line, String message, Throwable cause) {
    super(message, cause);
    this.file = file;
    this.line = line;
  }

  /** The import path of the (first) offending file, or null when no single file is to blame. */
  public String file() {
    return file;
  }

  /** The 1-based line of the first problem, or -1 when it is not known. */
  public int line() {
    return line;
  }
}
