package io.meshlake.contracts.wire;

/** Bytes that are not a valid Confluent-framed protobuf message. The message says why. */
public class WireFormatException extends RuntimeException {
  public WireFormatException(String message) {
    super(message);
  }

  public WireFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
