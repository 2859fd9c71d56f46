package io.meshlake.query;

/**
 * Why a query did not produce a result. The kind decides the HTTP status, the CLI exit code and
 * the metrics outcome; the message is written for the person who sent the query.
 */
public final class QueryException extends RuntimeException {

  public enum Kind {
    /** The query, its parameters, scope or workspace is not allowed or not valid; nothing ran. */
    REJECTED(400, "rejected"),
    /** DuckDB could not run the (allowed) query, e.g. an unknown column or a bad cast. */
    QUERY_FAILED(400, "error"),
    /** The query would read or return more than the configured limits allow. */
    LIMIT_EXCEEDED(400, "rejected"),
    /** The query ran longer than the configured timeout and was cancelled. */
    TIMEOUT(504, "timeout"),
    /** Too many queries are running; try again. */
    BUSY(503, "busy"),
    /** The table is laid out in a way lake-query does not read (not partitioned by workspace only, not local). */
    UNSUPPORTED(501, "error"),
    /** The lake itself could not be read. */
    INTERNAL(500, "error");

    private final int httpStatus;
    private final String outcome;

    Kind(int httpStatus, String outcome) {
      this.httpStatus = httpStatus;
      this.outcome = outcome;
    }

    public int httpStatus() {
      return httpStatus;
    }

    /** The metrics label this kind counts under. */
    public String outcome() {
      return outcome;
    }

    /** The error code in JSON responses, e.g. {@code query_failed}. */
    public String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final Kind kind;

  public QueryException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public QueryException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  static QueryException rejected(String message) {
    return new QueryException(Kind.REJECTED, message);
  }
}
