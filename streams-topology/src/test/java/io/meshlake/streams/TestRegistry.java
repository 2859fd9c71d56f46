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

  /** The URL of the registry shared by the driver tests, started on first use, stopped by {@link #closeShared()}. */
  static synchronized String sharedUrl() {
    if (shared == null) {
      sharedCluster = KafkaTestCluster.builder().name("shared-registry").start();
      shared = start(sharedCluster, 0);
    }
    return shared.url();
  }

  /**
   * Stops the shared registry and its cluster when the test run ends ({@link SharedRegistryShutdown}),
   * not in a JVM shutdown hook: a cluster closing while the JVM exits can outlast surefire's wait for the fork.
   */
  static synchronized void closeShared() {
    if (shared != null) {
      shared.close();
      sharedCluster.close();
      shared = null;
      sharedCluster = null;
    }
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
