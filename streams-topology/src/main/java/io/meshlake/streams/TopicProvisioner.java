package io.meshlake.streams;

import io.meshlake.contracts.manifest.EntityCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure, before the topology starts, that every ingress topic exists and every model and DLQ
 * topic exists with the right partition count, creating the missing ones.
 *
 * <p>A model topic's partition count is part of the ownership contract: the sink task owning a
 * partition owns every row of the keys hashed to it. A model topic whose count differs from the one
 * the application would create (by default the ingress topic's) is refused at start, because its key
 * placement differs from the ingress topic's and silently repartitioning would give keys two owners.
 */
final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private final Admin admin;
  private final StreamsTopologyConfig config;
  private final EntityCatalog catalog;
  private final Duration timeout;

  TopicProvisioner(Admin admin, StreamsTopologyConfig config) {
    this.admin = admin;
    this.config = config;
    this.catalog = config.catalog();
    this.timeout = config.startupTimeout();
  }

  /** Checks and creates topics; throws {@link IllegalStateException} naming the topic and the fix. */
  void provision() {
    Map<String, Integer> inputPartitions = new LinkedHashMap<>(); // by input topic
    List<String> inputs = config.inputDomains().stream().map(TopicNames::ingress).toList();
    Map<String, TopicDescription> inputDescriptions = describe(inputs);
    for (String domain : config.inputDomains()) {
      TopicDescription input = inputDescriptions.get(TopicNames.ingress(domain));
      if (input == null) {
        throw new IllegalStateException("input topic " + TopicNames.ingress(domain) + " does not exist: create it (the replication bus"
            + " publishes domain '" + domain + "' there) or leave '" + domain + "' out of " + StreamsTopologyConfig.INPUT_DOMAINS);
      }
      inputPartitions.put(input.name(), input.partitions().size());
    }

    Map<String, Integer> wanted = new LinkedHashMap<>();
    Map<String, String> inputOf = new LinkedHashMap<>(); // model topic -> its input topic
    for (String domain : config.inputDomains()) {
      int partitions = inputPartitions.get(TopicNames.ingress(domain));
      for (String model : FanOut.modelTopics(catalog, domain)) {
        wanted.put(model, config.modelTopicPartitions().orElse(partitions));
        inputOf.put(model, TopicNames.ingress(domain));
      }
      wanted.put(TopicNames.deadLetters(domain), config.dlqTopicPartitions().orElse(partitions));
    }

    Map<String, TopicDescription> existing = describe(List.copyOf(wanted.keySet()));
    checkModelPartitions(existing, wanted, inputOf, inputPartitions);
    List<NewTopic> missing = new ArrayList<>();
    for (Map.Entry<String, Integer> topic : wanted.entrySet()) {
      if (!existing.containsKey(topic.getKey())) {
        missing.add(new NewTopic(topic.getKey(), Optional.of(topic.getValue()), config.topicReplicationFactor()));
      }
    }
    if (!missing.isEmpty()) {
      List<String> createdByOthers = create(missing);
      // Another instance created these first, maybe with another count.
      if (!createdByOthers.isEmpty()) {
        checkModelPartitions(describeExisting(createdByOthers), wanted, inputOf, inputPartitions);
      }
    }
  }

  private void checkModelPartitions(Map<String, TopicDescription> existing, Map<String, Integer> wanted, Map<String, String> inputOf,
      Map<String, Integer> inputPartitions) {
    for (Map.Entry<String, String> model : inputOf.entrySet()) {
      TopicDescription description = existing.get(model.getKey());
      if (description == null) {
        continue;
      }
      int actual = description.partitions().size();
      int expected = wanted.get(model.getKey());
      if (actual != expected) {
        String input = model.getValue();
        throw new IllegalStateException("model topic " + model.getKey() + " has " + actual + " partitions but must have " + expected
            + (config.modelTopicPartitions().isPresent()
                ? " (" + StreamsTopologyConfig.MODEL_TOPIC_PARTITIONS + ")"
                : ", like its input " + input + " (" + inputPartitions.get(input) + ")")
            + ": with another count, the sink task owning a partition would not own every version of its entities."
            + " Recreate " + model.getKey() + " with " + expected + " partitions and replay it, or set "
            + StreamsTopologyConfig.MODEL_TOPIC_PARTITIONS + " if this layout is deliberate");
      }
    }
  }

  /** Descriptions of those of the topics that exist. */
  private Map<String, TopicDescription> describe(List<String> topics) {
    Map<String, TopicDescription> found = new LinkedHashMap<>();
    for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : admin.describeTopics(topics).topicNameValues().entrySet()) {
      try {
        found.put(topic.getKey(), topic.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw new IllegalStateException("could not describe topic " + topic.getKey() + " on " + config.bootstrapServers() + ": "
              + rootMessage(e), e);
        }
      } catch (TimeoutException e) {
        throw new IllegalStateException("could not describe topic " + topic.getKey() + " on " + config.bootstrapServers() + " within "
            + timeout.toMillis() + " ms (" + StreamsTopologyConfig.STARTUP_TIMEOUT_MS + ")", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while describing topics", e);
      }
    }
    return found;
  }

  /** Descriptions of topics known to exist, waiting for the broker's metadata to catch up with their creation. */
  private Map<String, TopicDescription> describeExisting(List<String> topics) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, TopicDescription> found = describe(topics);
      if (found.size() == topics.size()) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + topics + " exist but could not be described within " + timeout.toMillis() + " ms");
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while describing topics", e);
      }
    }
  }

  /** Creates the topics; returns those that somebody else created in the meantime. */
  private List<String> create(List<NewTopic> topics) {
    LOG.info("creating topics {}", topics.stream().map(t -> t.name() + "(" + t.numPartitions() + ")").toList());
    List<String> createdByOthers = new ArrayList<>();
    for (Map.Entry<String, ? extends Future<Void>> result : admin.createTopics(topics).values().entrySet()) {
      try {
        result.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("could not create topic " + result.getKey() + ": " + rootMessage(e)
              + "; create it yourself or give the application's principal CREATE on the cluster", e);
        }
        createdByOthers.add(result.getKey());
      } catch (TimeoutException e) {
        throw new IllegalStateException("creating topic " + result.getKey() + " took longer than " + timeout.toMillis() + " ms ("
            + StreamsTopologyConfig.STARTUP_TIMEOUT_MS + ")", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while creating topics", e);
      }
    }
    return createdByOthers;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.toString();
  }
}
