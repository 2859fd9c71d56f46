package io.meshlake.contracts.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Message;
import io.meshlake.contracts.registry.RegisteredSchema;
import io.meshlake.contracts.registry.SchemaReference;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.registry.SchemaText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Frames protobuf messages in the Confluent wire format. The schema of a message is its .proto file
 * exactly as committed (shipped on the classpath under its import path), registered with its
 * imports as references: each imported file under a subject named after its import path, as
 * Confluent's serializer does. Well-known types ({@code google/protobuf/*}) are built into every
 * Confluent-compatible registry and are not registered.
 */
public final class ProtobufEncoder {

  /** Which subject a value's schema is registered under. */
  public enum SubjectNameStrategy {
    /** {@code <topic>-value} (or {@code -key}): Confluent's default. */
    TOPIC,
    /** The message's fully qualified name. */
    RECORD,
    /** {@code <topic>-<fully qualified name>}. */
    TOPIC_RECORD;

    public String subject(String topic, boolean isKey, Descriptor descriptor) {
      return switch (this) {
        case TOPIC -> topic + (isKey ? "-key" : "-value");
        case RECORD -> descriptor.getFullName();
        case TOPIC_RECORD -> topic + "-" + descriptor.getFullName();
      };
    }
  }

  private final SchemaRegistryClient registry;
  private final SubjectNameStrategy strategy;
  private final boolean autoRegister;
  private final boolean isKey;
  private final Map<String, Integer> schemaIds = new ConcurrentHashMap<>();

  public ProtobufEncoder(SchemaRegistryClient registry, SubjectNameStrategy strategy, boolean autoRegister, boolean isKey) {
    this.registry = registry;
    this.strategy = strategy;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
  }

  public ProtobufEncoder(SchemaRegistryClient registry) {
    this(registry, SubjectNameStrategy.TOPIC, true, false);
  }

  public byte[] encode(String topic, Message message) {
    Descriptor descriptor = message.getDescriptorForType();
    return ConfluentFrame.encode(schemaId(topic, descriptor), MessageIndexes.of(descriptor), message.toByteArray());
  }

  /** The id of the descriptor's file schema under the topic's subject, registering it if allowed. */
  public int schemaId(String topic, Descriptor descriptor) {
    String subject = strategy.subject(topic, isKey, descriptor);
    return schemaIds.computeIfAbsent(subject + "\u0000" + descriptor.getFile().getName(), k -> {
      SchemaText schema = schemaOf(descriptor.getFile(), true);
      if (autoRegister) {
        return registry.register(subject, schema);
      }
      RegisteredSchema found = registry.lookup(subject, schema);
      return found.id();
    });
  }

  /** The file's .proto text with references to its (registered) non-well-known imports. */
  private SchemaText schemaOf(FileDescriptor file, boolean main) {
    List<SchemaReference> references = new ArrayList<>();
    for (FileDescriptor dependency : file.getDependencies()) {
      if (isWellKnown(dependency)) {
        continue;
      }
      SchemaText dependencySchema = schemaOf(dependency, false);
      String subject = dependency.getName();
      int version;
      if (autoRegister) {
        registry.register(subject, dependencySchema);
        version = registry.lookup(subject, dependencySchema).version();
      } else {
        version = registry.lookup(subject, dependencySchema).version();
      }
      references.add(new SchemaReference(dependency.getName(), subject, version));
    }
    return new SchemaText(protoSource(file), references);
  }

  static boolean isWellKnown(FileDescriptor file) {
    return file.getName().startsWith("google/protobuf/");
  }

  /** The committed .proto text of a generated file, from the classpath. */
  public static String protoSource(FileDescriptor file) {
    String resource = file.getName();
    ClassLoader loader = ProtobufEncoder.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the .proto source '" + resource + "' of " + file.getPackage()
            + " is not on the classpath; ship the .proto files in the contracts jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
