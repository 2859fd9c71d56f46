package io.meshlake.contracts.model;

/** A model that cannot be rendered or compiled; the message names the model and what is wrong. */
public class ModelException extends RuntimeException {
  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
