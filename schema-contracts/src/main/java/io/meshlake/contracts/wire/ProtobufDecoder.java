package io.meshlake.contracts.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.UnsafeByteOperations;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.registry.SchemaRegistryException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decodes Confluent-framed bytes into one expected message type, checking with the registry that the
 * frame's schema id exists and that its message indexes name that type. Every failure is a
 * {@link WireFormatException} (or its {@link UnknownSchemaException}) whose message says what is
 * wrong, so callers can route the record to a dead-letter topic with that reason.
 */
public final class ProtobufDecoder<T extends Message> {

  private final SchemaRegistryClient registry;
  private final Parser<T> parser;
  private final String expectedType;
  private final Map<MessageKey, String> messageNames = new ConcurrentHashMap<>();
  /** The last type resolved: a stream's records almost always carry one schema id and path. */
  private volatile Resolved last;

  /** A schema id and a message path within it, which together name one message type. */
  private record MessageKey(int schemaId, MessageIndexes indexes) {}

  private record Resolved(MessageKey key, String name) {}

  public ProtobufDecoder(SchemaRegistryClient registry, T defaultInstance) {
    this.registry = registry;
    @SuppressWarnings("unchecked")
    Parser<T> p = (Parser<T>) defaultInstance.getParserForType();
    this.parser = p;
    this.expectedType = defaultInstance.getDescriptorForType().getFullName();
  }

  /** A decoded message and the schema id it was written with. */
  public record Decoded<T>(int schemaId, T message) {}

  public Decoded<T> decode(byte[] bytes) {
    return decode(bytes, false);
  }

  /**
   * Like {@link #decode(byte[])}, but the message's {@code bytes} fields (an {@code Any}'s value) are
   * views of {@code bytes} instead of copies: for a caller that owns the array and never changes it
   * (a consumer record's value), so a large payload is not copied once more per record.
   */
  public Decoded<T> decodeSharing(byte[] bytes) {
    return decode(bytes, true);
  }

  private Decoded<T> decode(byte[] bytes, boolean share) {
    ConfluentFrame frame = ConfluentFrame.decode(bytes);
    String actualType = messageName(frame.schemaId(), frame.messageIndexes());
    if (!expectedType.equals(actualType)) {
      throw new WireFormatException("schema id " + frame.schemaId() + " message " + frame.messageIndexes()
          + " is " + actualType + ", expected " + expectedType);
    }
    try {
      // From the array itself: protobuf copies a read-only buffer's bytes before parsing them. Only
      // an input protobuf knows to be immutable aliases its bytes fields; a plain array's copies them.
      int length = frame.payload().remaining();
      int offset = bytes.length - length;
      CodedInputStream in = share ? UnsafeByteOperations.unsafeWrap(bytes, offset, length).newCodedInput()
          : CodedInputStream.newInstance(bytes, offset, length);
      in.enableAliasing(share);
      T message = parser.parseFrom(in);
      // As parseFrom(byte[]) checks: the payload ended with the message, not with a stray end-group tag.
      in.checkLastTagWas(0);
      return new Decoded<>(frame.schemaId(), message);
    } catch (InvalidProtocolBufferException e) {
      throw new WireFormatException("payload is not a valid " + expectedType + ": " + e.getMessage(), e);
    }
  }

  public String expectedType() {
    return expectedType;
  }

  private String messageName(int schemaId, MessageIndexes indexes) {
    Resolved recent = last;
    if (recent != null && recent.key().schemaId() == schemaId && recent.key().indexes().equals(indexes)) {
      return recent.name();
    }
    MessageKey key = new MessageKey(schemaId, indexes);
    String cached = messageNames.get(key);
    if (cached != null) {
      last = new Resolved(key, cached);
      return cached;
    }
    String text;
    try {
      text = registry.schemaById(schemaId).schema();
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        throw new UnknownSchemaException(schemaId, "schema id " + schemaId + " is not registered: " + e.getMessage(), e);
      }
      throw e;
    }
    String name = RegisteredMessageNames.resolve(schemaId, text, indexes);
    messageNames.put(key, name);
    last = new Resolved(key, name);
    return name;
  }

  static String fullName(Descriptor descriptor) {
    return descriptor.getFullName();
  }
}
