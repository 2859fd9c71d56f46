package io.meshlake.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.testkit.KafkaTestCluster;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Start checks the topics first: ingress must exist, model topics must keep the ownership layout. */
class TopicProvisioningTest {

  /** Provisioning never calls the registry; an address nothing listens on proves it. */
  private static final String NO_REGISTRY = "http://127.0.0.1:9";

  @Test
  void startFailsFastWhenAModelTopicHasAnotherPartitionCountThanItsInput() throws Exception {
    try (KafkaTestCluster cluster = KafkaTestCluster.builder().name("mismatch").start()) {
      TestTopics.create(cluster, "facsimile.jira", 3);
      TestTopics.create(cluster, "facsimile.confluence", 1);
      TestTopics.create(cluster, "model.jira_issue", 2);

      assertThatThrownBy(() -> StreamsTopologyApp.start(StreamsTopologyAppTest.config(cluster, NO_REGISTRY, Map.of())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("model topic model.jira_issue has 2 partitions but must have 3")
          .hasMessageContaining("facsimile.jira");
      assertThat(TestTopics.partitionCounts(cluster)).as("nothing is created when the layout is refused")
          .doesNotContainKeys("model.jira_issue_label", "dlq.jira", "model.confluence_page");
    }
  }

  @Test
  void startFailsFastWhenAnInputTopicIsMissing() throws Exception {
    try (KafkaTestCluster cluster = KafkaTestCluster.builder().name("no-input").start()) {
      TestTopics.create(cluster, "facsimile.jira", 1);

      assertThatThrownBy(() -> StreamsTopologyApp.start(StreamsTopologyAppTest.config(cluster, NO_REGISTRY, Map.of())))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("input topic facsimile.confluence does not exist")
          .hasMessageContaining("input.domains");
    }
  }

  @Test
  void missingModelAndDlqTopicsAreCreatedWithTheInputsCountOrTheConfiguredOne() throws Exception {
    try (KafkaTestCluster cluster = KafkaTestCluster.builder().name("create").start()) {
      TestTopics.create(cluster, "facsimile.jira", 3);
      TestTopics.create(cluster, "facsimile.confluence", 2);
      TestTopics.create(cluster, "model.confluence_page", 4);

      StreamsTopologyConfig config = StreamsTopologyAppTest.config(cluster, NO_REGISTRY, Map.of(
          StreamsTopologyConfig.INPUT_DOMAINS, "jira",
          StreamsTopologyConfig.DLQ_TOPIC_PARTITIONS, "1"));
      new TopicProvisioner(cluster.admin(), config).provision();
      TestTopics.awaitVisible(cluster, "model.jira_issue", "model.jira_issue_label", "model.jira_issue_custom_field", "model.jira_project",
          "model.jira_user", "dlq.jira");
      assertThat(TestTopics.partitionCounts(cluster)).containsEntry("model.jira_issue", 3).containsEntry("model.jira_issue_label", 3)
          .containsEntry("model.jira_issue_custom_field", 3).containsEntry("model.jira_project", 3)
          .containsEntry("model.jira_user", 3).containsEntry("dlq.jira", 1)
          .doesNotContainKeys("dlq.confluence", "model.confluence_space");

      StreamsTopologyConfig confluence = StreamsTopologyAppTest.config(cluster, NO_REGISTRY, Map.of(
          StreamsTopologyConfig.INPUT_DOMAINS, "confluence",
          StreamsTopologyConfig.MODEL_TOPIC_PARTITIONS, "4"));
      new TopicProvisioner(cluster.admin(), confluence).provision();
      TestTopics.awaitVisible(cluster, "model.confluence_page_version", "model.confluence_space", "dlq.confluence");
      assertThat(TestTopics.partitionCounts(cluster)).containsEntry("model.confluence_page", 4).containsEntry("model.confluence_page_version", 4)
          .containsEntry("model.confluence_space", 4).containsEntry("dlq.confluence", 2);
    }
  }
}
