package io.meshlake.sink.writer;

/** A record the sink cannot write; it goes to the dead-letter topic with this message as the reason. */
public class BadRecordException extends RuntimeException {
  public BadRecordException(String message) {
    super(message);
  }

  public BadRecordException(String message, Throwable cause) {
    super(message, cause);
  }
}
