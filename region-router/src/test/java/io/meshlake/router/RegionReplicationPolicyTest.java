package io.meshlake.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RegionReplicationPolicyTest {

  private RegionReplicationPolicy eu;

  @BeforeEach
  void configureAsMirrorMakerDoes() {
    RegionRouterConfig config = RegionRouterConfig.builder().bootstrapServers("ingress:9092")
        .region("eu", "eu:9092").region("us", "us:9092").region("eu-west", "euw:9092").build();
    eu = new RegionReplicationPolicy();
    // MirrorMaker configures the policy with the connector's own settings.
    eu.configure(MirrorConnectorConfigs.forRegion(config, "eu"));
  }

  @Test
  void theRegionsTopicKeepsItsIngressNameInTheRegion() {
    assertThat(eu.formatRemoteTopic("ingress", "region.eu.facsimile.jira")).isEqualTo("facsimile.jira");
    assertThat(eu.formatRemoteTopic("ingress", "region.eu.facsimile.jira.v2")).isEqualTo("facsimile.jira.v2");
    assertThat(eu.formatRemoteTopic("ingress", "region.eu.facsimile.internal")).isEqualTo("facsimile.internal");
  }

  @Test
  void refusesToNameARemoteTopicForAnotherRegionsEvents() {
    for (String topic : List.of("region.us.facsimile.jira", "region.eu-west.facsimile.jira")) {
      assertThatThrownBy(() -> eu.formatRemoteTopic("ingress", topic))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("refusing to mirror " + topic)
          .hasMessageContaining("to region eu");
    }
  }

  @Test
  void refusesToMirrorTheIngressTopicsThatHoldEveryRegionsEvents() {
    for (String topic : List.of("facsimile.jira", "ingress.dlq.jira", "control.workspace-residency")) {
      assertThatThrownBy(() -> eu.formatRemoteTopic("ingress", topic))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("refusing to mirror " + topic);
    }
    assertThat(eu.formatRemoteTopic("ingress", "heartbeats")).isEqualTo("heartbeats");
  }

  @Test
  void aRegionalTopicIsRemoteFromTheIngressAndItsUpstreamIsTheRegionTopic() {
    // MirrorMaker finds the target topics it feeds by topicSource, and maps them back by upstreamTopic.
    assertThat(eu.topicSource("facsimile.jira")).isEqualTo("ingress");
    assertThat(eu.upstreamTopic("facsimile.jira")).isEqualTo("region.eu.facsimile.jira");
    assertThat(eu.originalTopic("facsimile.jira")).isEqualTo("region.eu.facsimile.jira");
  }

  @Test
  void theIngressRegionTopicsAreNotRemoteSoMirrorMakerSeesNoCycle() {
    // MirrorSourceConnector.isCycle: a topic whose source is the target would never be mirrored.
    assertThat(eu.topicSource("region.eu.facsimile.jira")).isNull();
    assertThat(eu.upstreamTopic("region.eu.facsimile.jira")).isNull();
    assertThat(eu.isHeartbeatsTopic("region.eu.facsimile.jira")).isFalse();
  }

  @Test
  void regionalTopicsAreNeverInternalWhateverTheDomainIsCalled() {
    assertThat(eu.isInternalTopic("region.eu.facsimile.internal")).isFalse();
    assertThat(eu.isInternalTopic("region.eu.facsimile.jira-internal")).isFalse();
    assertThat(eu.isInternalTopic("facsimile.internal")).isFalse();
    assertThat(eu.isInternalTopic("mm2-offset-syncs.eu.internal")).isTrue();
    assertThat(eu.isInternalTopic("__consumer_offsets")).isTrue();
  }
}
