package io.meshlake.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshlake.testkit.KafkaTestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Topics for broker tests, visible in the broker's metadata before a test relies on them. */
final class TestTopics {

  private TestTopics() {}

  /** Creates the topic and waits until the broker lists it (creation is acknowledged by the controller first). */
  static void create(KafkaTestCluster cluster, String topic, int partitions) throws Exception {
    cluster.createTopic(topic, partitions);
    awaitVisible(cluster, topic);
  }

  static void awaitVisible(KafkaTestCluster cluster, String... topics) throws Exception {
    long until = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!cluster.admin().listTopics().names().get().containsAll(List.of(topics))) {
      assertThat(System.nanoTime()).as("%s visible within a minute", List.of(topics)).isLessThan(until);
      Thread.sleep(100);
    }
  }

  /** Partition count of every topic of the cluster. */
  static Map<String, Integer> partitionCounts(KafkaTestCluster cluster) throws Exception {
    Map<String, Integer> counts = new HashMap<>();
    var names = cluster.admin().listTopics().names().get();
    cluster.admin().describeTopics(names).allTopicNames().get().forEach((name, d) -> counts.put(name, d.partitions().size()));
    return counts;
  }
}
