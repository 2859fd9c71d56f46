package io.meshlake.bus;

import java.util.HashMap;
import java.util.Map;

/**
 * What a publisher needs: the bus's Kafka cluster, the schema registry, and where to offload payloads
 * above the threshold (900 KiB by default, under the bus's ~1 MiB record limit).
 */
public record PublisherConfig(
    String bootstrapServers,
    String registryUrl,
    PayloadStore offloadStore,
    int offloadThresholdBytes,
    Map<String, Object> producerOverrides) {

  public static final int DEFAULT_OFFLOAD_THRESHOLD = 900 * 1024;

  public PublisherConfig {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap.servers is not set: give the bus's Kafka brokers, e.g. localhost:9092");
    }
    if (registryUrl == null || registryUrl.isBlank()) {
      throw new IllegalArgumentException("schema.registry.url is not set: give the schema registry's URL, e.g. http://localhost:8081");
    }
    if (offloadThresholdBytes <= 0) {
      throw new IllegalArgumentException("offload threshold must be positive, got " + offloadThresholdBytes);
    }
    producerOverrides = Map.copyOf(producerOverrides == null ? Map.of() : producerOverrides);
  }

  public static PublisherConfig of(String bootstrapServers, String registryUrl, PayloadStore offloadStore) {
    return new PublisherConfig(bootstrapServers, registryUrl, offloadStore, DEFAULT_OFFLOAD_THRESHOLD, new HashMap<>());
  }

  public PublisherConfig withOffloadThreshold(int bytes) {
    return new PublisherConfig(bootstrapServers, registryUrl, offloadStore, bytes, producerOverrides);
  }

  public PublisherConfig withProducerOverride(String key, Object value) {
    Map<String, Object> overrides = new HashMap<>(producerOverrides);
    overrides.put(key, value);
    return new PublisherConfig(bootstrapServers, registryUrl, offloadStore, offloadThresholdBytes, overrides);
  }
}
