package io.meshlake.bus;

/** An offloaded payload could not be fetched or failed verification; the message names the pointer. */
public class PayloadResolutionException extends RuntimeException {
  public PayloadResolutionException(String message) {
    super(message);
  }

  public PayloadResolutionException(String message, Throwable cause) {
    super(message, cause);
  }
}
