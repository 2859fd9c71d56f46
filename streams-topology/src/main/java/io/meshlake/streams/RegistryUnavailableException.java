package io.meshlake.streams;

/**
 * The schema registry could not be reached (or failed) for longer than the retry timeout. This is not
 * bad input: the stream thread is replaced and the record is processed again, from the last committed
 * offset, once the registry answers.
 */
public final class RegistryUnavailableException extends RuntimeException {
  public RegistryUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
