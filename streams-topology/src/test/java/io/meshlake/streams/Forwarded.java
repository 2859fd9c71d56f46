package io.meshlake.streams;

import com.google.protobuf.InvalidProtocolBufferException;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.wire.ConfluentFrame;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/** Reads test output: the envelope inside forwarded bytes, a header as text. */
final class Forwarded {

  private Forwarded() {}

  /** The envelope of Confluent-framed bytes (the schema was checked when it was forwarded). */
  static FacsimileRecord envelope(byte[] value) {
    try {
      return FacsimileRecord.parseFrom(ConfluentFrame.decode(value).payloadBytes());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("forwarded bytes are not an envelope", e);
    }
  }

  /** {@code (generation, version)} plus {@code T} for a tombstone, e.g. {@code 0/3T}. */
  static String order(byte[] value) {
    FacsimileRecord e = envelope(value);
    return e.getGenerationWatermark() + "/" + e.getVersion() + (e.getIsTombstone() ? "T" : "");
  }

  static String header(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
