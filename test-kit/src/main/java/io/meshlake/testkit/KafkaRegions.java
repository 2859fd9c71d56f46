package io.meshlake.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several independent Kafka clusters in one JVM, by name: an ingress cluster and one per region,
 * as the region router sees them in production.
 */
public final class KafkaRegions implements AutoCloseable {

  private final Map<String, KafkaTestCluster> clusters;

  private KafkaRegions(Map<String, KafkaTestCluster> clusters) {
    this.clusters = clusters;
  }

  /** Starts one single-node cluster per name; on failure stops the ones already started. */
  public static KafkaRegions start(String... names) {
    Map<String, KafkaTestCluster> started = new LinkedHashMap<>();
    try {
      for (String name : names) {
        started.put(name, KafkaTestCluster.builder().name(name).start());
      }
    } catch (RuntimeException e) {
      started.values().forEach(KafkaTestCluster::close);
      throw e;
    }
    return new KafkaRegions(started);
  }

  public KafkaTestCluster get(String name) {
    KafkaTestCluster cluster = clusters.get(name);
    if (cluster == null) {
      throw new IllegalArgumentException("no cluster named '" + name + "'; have " + clusters.keySet());
    }
    return cluster;
  }

  public Map<String, KafkaTestCluster> all() {
    return clusters;
  }

  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    for (KafkaTestCluster cluster : clusters.values()) {
      try {
        cluster.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      throw failures.get(0);
    }
  }
}
