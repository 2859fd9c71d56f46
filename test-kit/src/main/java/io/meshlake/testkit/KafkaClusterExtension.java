package io.meshlake.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka cluster per test class:
 * {@code @RegisterExtension static final KafkaClusterExtension kafka = new KafkaClusterExtension();}
 */
public final class KafkaClusterExtension implements BeforeAllCallback, AfterAllCallback {

  private final KafkaTestCluster.Builder builder;
  private KafkaTestCluster cluster;

  public KafkaClusterExtension() {
    this(KafkaTestCluster.builder());
  }

  public KafkaClusterExtension(KafkaTestCluster.Builder builder) {
    this.builder = builder;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    cluster = builder.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null) {
      cluster.close();
    }
  }

  public KafkaTestCluster cluster() {
    if (cluster == null) {
      throw new IllegalStateException("the Kafka cluster starts before all tests of the class");
    }
    return cluster;
  }

  public String bootstrapServers() {
    return cluster().bootstrapServers();
  }
}
