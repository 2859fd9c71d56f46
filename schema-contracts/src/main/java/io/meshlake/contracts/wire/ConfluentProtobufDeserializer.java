package io.meshlake.contracts.wire;

import com.google.protobuf.Message;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A Kafka deserializer for Confluent-framed protobuf of one known type. Callers that must route bad
 * records elsewhere (the streams topology, the sink) use {@link ProtobufDecoder} directly and catch
 * its {@link WireFormatException}s.
 */
public class ConfluentProtobufDeserializer<T extends Message> implements Deserializer<T> {

  private final ProtobufDecoder<T> decoder;

  public ConfluentProtobufDeserializer(SchemaRegistryClient registry, T defaultInstance) {
    this.decoder = new ProtobufDecoder<>(registry, defaultInstance);
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return decoder.decode(data).message();
    } catch (WireFormatException e) {
      throw new SerializationException("record of " + topic + " is not a valid " + decoder.expectedType() + ": " + e.getMessage(), e);
    }
  }
}
