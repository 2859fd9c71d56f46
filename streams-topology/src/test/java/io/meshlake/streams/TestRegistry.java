package io.meshlake.streams;

import io.meshlake.registry.RegistryConfig;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.testkit.KafkaTestCluster;

/**
 * Real schema registries for tests: one shared by every TopologyTestDriver test of this JVM (its own
 * Kafka cluster holds the schemas), or one on a cluster a test brings.
 */
final class TestRegistry {

  private static KafkaTestCluster sharedCluster;
  private static SchemaRegistryServer shared;

  private TestRegistry() {}

  /** The URL of the registry shared by the driver tests, started on first use and stopped with the JVM. */
  static synchronized String sharedUrl() {
    if (shared == null) {
      sharedCluster = KafkaTestCluster.builder().name("shared-registry").start();
      shared = start(sharedCluster, 0);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        shared.close();
        sharedCluster.close();
      }, "shared-registry-shutdown"));
    }
    return shared.url();
  }

  /** A registry keeping its schemas on the given cluster; port 0 picks a free port. */
  static SchemaRegistryServer start(KafkaTestCluster cluster, int port) {
    return SchemaRegistryServer.start(RegistryConfig.builder()
        .bootstrapServers(cluster.bootstrapServers())
        .listenHost("127.0.0.1")
        .listenPort(port)
        .build());
  }
}
