package io.meshlake.streams;

/**
 * An input record that cannot be applied, and why. Bad input is expected traffic, not a bug, so this
 * carries no stack trace: the processor turns it into a dead letter.
 */
public final class InvalidEnvelopeException extends Exception {

  private final DlqReason reason;

  public InvalidEnvelopeException(DlqReason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public DlqReason reason() {
    return reason;
  }
}
