package io.meshlake.streams;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.registry.SchemaRegistryException;
import io.meshlake.contracts.wire.ProtobufDecoder;
import io.meshlake.contracts.wire.UnknownSchemaException;
import io.meshlake.contracts.wire.WireFormatException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a record value into a {@link FacsimileRecord} through the Confluent wire format and the schema
 * registry, telling bad input (dead-lettered) apart from an unavailable registry (retried).
 *
 * <p>A registry that cannot be reached, or answers with a server error, says nothing about the record:
 * dead-lettering it would lose good events during every registry outage. So the decoder retries for
 * {@code registry.retry.timeout.ms} (kept below the consumer's max.poll.interval.ms), then throws
 * {@link RegistryUnavailableException}; the application replaces the stream thread, the open
 * transaction aborts, and the record is read again from the last committed offset.
 */
final class EnvelopeDecoder {

  private static final Logger LOG = LoggerFactory.getLogger(EnvelopeDecoder.class);
  private static final long MAX_BACKOFF_MS = 5_000;

  private final ProtobufDecoder<FacsimileRecord> decoder;
  private final Duration retryTimeout;

  EnvelopeDecoder(SchemaRegistryClient registry, Duration retryTimeout) {
    this.decoder = new ProtobufDecoder<>(registry, FacsimileRecord.getDefaultInstance());
    this.retryTimeout = retryTimeout;
  }

  FacsimileRecord decode(byte[] value) throws InvalidEnvelopeException {
    if (value == null) {
      throw new InvalidEnvelopeException(DlqReason.NULL_VALUE,
          "the value is null; deletes are envelopes with is_tombstone=true, not Kafka tombstones");
    }
    long deadline = System.nanoTime() + retryTimeout.toNanos();
    long backoffMs = 100;
    while (true) {
      try {
        // The record's value is the processor's own array and is forwarded unchanged: the entity
        // payload is validated in place rather than copied out of it.
        return decoder.decodeSharing(value).message();
      } catch (UnknownSchemaException e) {
        throw new InvalidEnvelopeException(DlqReason.UNKNOWN_SCHEMA, e.getMessage());
      } catch (WireFormatException e) {
        throw new InvalidEnvelopeException(DlqReason.UNDECODABLE, e.getMessage());
      } catch (SchemaRegistryException e) {
        if (e.httpStatus() == 422) {
          // The registry answered about this schema id: it is not a protobuf schema.
          throw new InvalidEnvelopeException(DlqReason.UNDECODABLE, e.getMessage());
        }
        if (Thread.currentThread().isInterrupted() || System.nanoTime() + backoffMs * 1_000_000 > deadline) {
          throw new RegistryUnavailableException("schema registry unavailable for " + retryTimeout.toMillis()
              + " ms (registry.retry.timeout.ms); the record will be processed again once it answers: " + e.getMessage(), e);
        }
        LOG.warn("schema registry unavailable, retrying in {} ms: {}", backoffMs, e.getMessage());
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
