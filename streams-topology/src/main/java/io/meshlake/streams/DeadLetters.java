package io.meshlake.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Builds the dead letter of a rejected input record: the original key and value bytes, untouched so
 * the record can be re-driven as it was, with headers that say why and where it came from.
 */
public final class DeadLetters {

  public static final String REASON = "meshlake.dlq.reason";
  public static final String MESSAGE = "meshlake.dlq.message";
  public static final String TOPIC = "meshlake.dlq.topic";
  public static final String PARTITION = "meshlake.dlq.partition";
  public static final String OFFSET = "meshlake.dlq.offset";
  public static final String TIMESTAMP = "meshlake.dlq.timestamp";

  private static final int MAX_MESSAGE_CHARS = 1_000;

  private DeadLetters() {}

  static Record<byte[], byte[]> deadLetter(Record<byte[], byte[]> original, RecordMetadata source, InvalidEnvelopeException why) {
    Headers headers = new RecordHeaders(original.headers().toArray());
    // A re-driven record that fails again carries the latest verdict only.
    for (String name : new String[] {REASON, MESSAGE, TOPIC, PARTITION, OFFSET, TIMESTAMP}) {
      headers.remove(name);
    }
    String message = why.getMessage().length() > MAX_MESSAGE_CHARS
        ? why.getMessage().substring(0, MAX_MESSAGE_CHARS) + "..." : why.getMessage();
    headers.add(REASON, utf8(why.reason().name()))
        .add(MESSAGE, utf8(message))
        .add(TOPIC, utf8(source.topic()))
        .add(PARTITION, utf8(Integer.toString(source.partition())))
        .add(OFFSET, utf8(Long.toString(source.offset())))
        .add(TIMESTAMP, utf8(Long.toString(original.timestamp())));
    return new Record<>(original.key(), original.value(), original.timestamp(), headers);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
