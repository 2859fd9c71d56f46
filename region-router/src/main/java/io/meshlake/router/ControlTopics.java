package io.meshlake.router;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The residency control topics, created by whichever needs them first (the router or a
 * {@link ResidencyAdmin}): {@code control.workspace-residency}, compacted, and
 * {@code control.residency-changes}, one partition each. A residency topic that deletes old records
 * is refused: workspaces would lose their residency.
 */
final class ControlTopics {

  private ControlTopics() {}

  static void ensure(Admin admin, String residencyTopic, String changesTopic, Short replicationFactor,
      Duration timeout) {
    Optional<Short> replication = Optional.ofNullable(replicationFactor);
    List<NewTopic> topics = List.of(
        new NewTopic(residencyTopic, Optional.of(1), replication)
            .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
        new NewTopic(changesTopic, Optional.of(1), replication));
    admin.createTopics(topics).values().forEach((name, created) -> {
      try {
        created.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("could not create " + name + ": " + e.getCause(), e.getCause());
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("could not create " + name + " within " + timeout
            + ": is the ingress cluster reachable?", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted creating " + name, e);
      }
    });
    Config config = residencyConfig(admin, residencyTopic, timeout);
    String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT) || policy.contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
      throw new IllegalStateException("the residency topic " + residencyTopic + " has cleanup.policy=" + policy
          + ": residency must never expire; set cleanup.policy=compact on it (kafka-configs --alter --entity-type"
          + " topics --entity-name " + residencyTopic + " --add-config cleanup.policy=compact)");
    }
  }

  /**
   * The residency topic's settings. A topic just created may not be known to the broker answering
   * yet (its metadata is still propagating), so "unknown topic" is retried until the timeout.
   */
  private static Config residencyConfig(Admin admin, String residencyTopic, Duration timeout) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, residencyTopic);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        try {
          return admin.describeConfigs(List.of(resource)).all().get(remainingMillis, TimeUnit.MILLISECONDS).get(resource);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
            throw new IllegalStateException("could not read the settings of " + residencyTopic + ": " + e, e);
          }
        }
        // Poll again shortly: Kafka's admin API has no way to wait for a topic's metadata to propagate.
        TimeUnit.MILLISECONDS.sleep(Math.min(100, remainingMillis));
      }
    } catch (TimeoutException e) {
      throw new IllegalStateException("could not read the settings of " + residencyTopic + " within " + timeout + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading the settings of " + residencyTopic, e);
    }
  }
}
