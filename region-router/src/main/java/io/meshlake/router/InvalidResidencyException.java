package io.meshlake.router;

/** A residency record or change event that cannot be read; the message says what is wrong. */
public final class InvalidResidencyException extends IllegalArgumentException {
  public InvalidResidencyException(String message) {
    super(message);
  }

  public InvalidResidencyException(String message, Throwable cause) {
    super(message, cause);
  }
}
