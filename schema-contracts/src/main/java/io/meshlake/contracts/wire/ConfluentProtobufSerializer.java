package io.meshlake.contracts.wire;

import com.google.protobuf.Message;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serializer writing protobuf messages in the Confluent wire format, configured with
 * Confluent's property names: {@code schema.registry.url}, {@code auto.register.schemas}
 * (default true) and {@code subject.name.strategy} ({@code topic}, {@code record},
 * {@code topic_record}; default topic).
 */
public class ConfluentProtobufSerializer<T extends Message> implements Serializer<T> {

  public static final String REGISTRY_URL = "schema.registry.url";
  public static final String AUTO_REGISTER = "auto.register.schemas";
  public static final String SUBJECT_NAME_STRATEGY = "subject.name.strategy";

  private ProtobufEncoder encoder;

  public ConfluentProtobufSerializer() {}

  public ConfluentProtobufSerializer(ProtobufEncoder encoder) {
    this.encoder = encoder;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (encoder != null) {
      return;
    }
    Object url = configs.get(REGISTRY_URL);
    if (url == null) {
      throw new IllegalArgumentException(REGISTRY_URL + " is not set: give the schema registry's URL, e.g. http://localhost:8081");
    }
    boolean autoRegister = !"false".equalsIgnoreCase(String.valueOf(configs.containsKey(AUTO_REGISTER) ? configs.get(AUTO_REGISTER) : "true"));
    String strategyName = String.valueOf(configs.containsKey(SUBJECT_NAME_STRATEGY) ? configs.get(SUBJECT_NAME_STRATEGY) : "topic");
    ProtobufEncoder.SubjectNameStrategy strategy;
    try {
      strategy = ProtobufEncoder.SubjectNameStrategy.valueOf(strategyName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(SUBJECT_NAME_STRATEGY + "='" + strategyName + "' is not one of topic, record, topic_record");
    }
    encoder = new ProtobufEncoder(new SchemaRegistryClient(url.toString()), strategy, autoRegister, isKey);
  }

  @Override
  public byte[] serialize(String topic, T message) {
    if (message == null) {
      return null;
    }
    if (encoder == null) {
      throw new IllegalStateException("serializer used before configure()");
    }
    try {
      return encoder.encode(topic, message);
    } catch (RuntimeException e) {
      throw new SerializationException("could not serialize " + message.getDescriptorForType().getFullName()
          + " for topic " + topic + ": " + e.getMessage(), e);
    }
  }
}
