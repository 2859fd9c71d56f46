package io.meshlake.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.mirror.DefaultTopicFilter;
import org.apache.kafka.connect.mirror.MirrorSourceConnector;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.junit.jupiter.api.Test;

/** The generated connector config, checked by MirrorMaker 2's own validation and topic filter. */
class MirrorConnectorConfigsTest {

  private final RegionRouterConfig config = RegionRouterConfig.builder()
      .bootstrapServers("ingress:9092")
      .ingressProperty("security.protocol", "SASL_SSL")
      .region("eu", "eu-kafka:9092")
      .regionProperty("eu", "security.protocol", "SSL")
      .region("us", "us-kafka:9092")
      .region("eu-west", "euw-kafka:9092")
      .mirrorProperty("replication.factor", "3")
      .mirrorProperty("tasks.max", "4")
      .build();

  @Test
  void mirrorMakerAcceptsTheConnectorConfigWithExactlyOnceRequired() {
    Map<String, String> connector = MirrorConnectorConfigs.forRegion(config, "eu");
    MirrorSourceConnector mirror = new MirrorSourceConnector();
    for (ConfigValue value : mirror.validate(connector).configValues()) {
      assertThat(value.errorMessages()).as(value.name()).isEmpty();
    }
    assertThat(mirror.exactlyOnceSupport(connector)).isEqualTo(ExactlyOnceSupport.SUPPORTED);
  }

  @Test
  void withoutReadCommittedMirrorMakerCannotBeExactlyOnce() {
    // Why the connector sets source.consumer.isolation.level: MM2 reads uncommitted records by default.
    Map<String, String> connector = new HashMap<>(MirrorConnectorConfigs.forRegion(config, "eu"));
    connector.remove("source.consumer.isolation.level");
    assertThat(new MirrorSourceConnector().exactlyOnceSupport(connector)).isEqualTo(ExactlyOnceSupport.UNSUPPORTED);
  }

  @Test
  void theConnectorOfARegionSelectsOnlyThatRegionsTopics() {
    DefaultTopicFilter filter = new DefaultTopicFilter();
    filter.configure(MirrorConnectorConfigs.forRegion(config, "eu"));
    assertThat(filter.shouldReplicateTopic("region.eu.facsimile.jira")).isTrue();
    assertThat(filter.shouldReplicateTopic("region.eu.facsimile.internal")).isTrue();
    assertThat(filter.shouldReplicateTopic("region.eu-west.facsimile.jira")).isFalse();
    assertThat(filter.shouldReplicateTopic("region.us.facsimile.jira")).isFalse();
    assertThat(filter.shouldReplicateTopic("facsimile.jira")).isFalse();
    assertThat(filter.shouldReplicateTopic("ingress.dlq.jira")).isFalse();
  }

  @Test
  void connectsTheIngressAsSourceAndTheRegionAsTarget() {
    Map<String, String> connector = MirrorConnectorConfigs.forRegion(config, "eu");
    assertThat(connector)
        .containsEntry("name", "meshlake-mirror-eu")
        .containsEntry("source.cluster.alias", "ingress")
        .containsEntry("target.cluster.alias", "eu")
        .containsEntry("source.cluster.bootstrap.servers", "ingress:9092")
        .containsEntry("source.cluster.security.protocol", "SASL_SSL")
        .containsEntry("target.cluster.bootstrap.servers", "eu-kafka:9092")
        .containsEntry("target.cluster.security.protocol", "SSL")
        .containsEntry("replication.policy.class", RegionReplicationPolicy.class.getName())
        .containsEntry("replication.factor", "3")
        .containsEntry("tasks.max", "4");
    assertThat(MirrorConnectorConfigs.toJson(connector)).contains("\"topics\" : \"region\\\\.eu\\\\.facsimile\\\\..+\"");
  }

  @Test
  void theWorkerOfARegionRunsOnTheRegionsClusterWithExactlyOnceSource() {
    Map<String, String> worker = MirrorConnectorConfigs.workerSettings(config, "eu");
    assertThat(worker)
        .containsEntry("bootstrap.servers", "eu-kafka:9092")
        .containsEntry("security.protocol", "SSL")
        .containsEntry("producer.security.protocol", "SSL")
        .containsEntry("group.id", "meshlake-mirror-eu")
        .containsEntry("offset.storage.topic", "meshlake-mirror-eu-offsets")
        .containsEntry("exactly.once.source.support", "enabled")
        .containsEntry("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
  }
}
