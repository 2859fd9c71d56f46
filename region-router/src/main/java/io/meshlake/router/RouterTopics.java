package io.meshlake.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the ingress-cluster topics the router depends on: the residency topics ({@link ControlTopics})
 * and, for every ingress topic {@code facsimile.<domain>} one {@code region.<region>.facsimile.<domain>}
 * per region and {@code ingress.dlq.<domain>}, with the ingress topic's partition count. Kafka Streams
 * does not create the topics it writes to, and MirrorMaker 2 only mirrors topics that exist.
 */
final class RouterTopics {

  private static final Logger LOG = LoggerFactory.getLogger(RouterTopics.class);

  private final Admin admin;
  private final RegionRouterConfig config;
  private final Duration timeout;

  RouterTopics(Admin admin, RegionRouterConfig config) {
    this.admin = admin;
    this.config = config;
    this.timeout = config.startupTimeout();
  }

  /** The residency topics: see {@link ControlTopics}. */
  void ensureControlTopics() {
    ControlTopics.ensure(admin, config.residencyTopic(), config.residencyChangesTopic(),
        config.topicReplicationFactor(), timeout);
  }

  /** The ingress topics to route now: the configured list (each must exist) or those matching the pattern. */
  Set<String> sourceTopics() {
    if (!config.sourceTopics().isEmpty()) {
      Set<String> existing = listTopics();
      List<String> missing = config.sourceTopics().stream().filter(t -> !existing.contains(t)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalStateException("the ingress topics " + missing + " of " + RegionRouterConfig.SOURCE_TOPICS
            + " do not exist on " + config.bootstrapServers() + "; create them or remove them from the setting");
      }
      return new TreeSet<>(config.sourceTopics());
    }
    Set<String> matching = new TreeSet<>();
    for (String topic : listTopics()) {
      if (config.sourcePattern().matcher(topic).matches() && TopicNames.isFacsimileTopic(topic)) {
        matching.add(topic);
      }
    }
    return matching;
  }

  /** Creates the missing region and DLQ topics of the given ingress topics; returns the names created. */
  Set<String> ensureOutputTopics(Collection<String> sourceTopics) {
    if (sourceTopics.isEmpty()) {
      return Set.of();
    }
    Set<String> existing = listTopics();
    Map<String, TopicDescription> sources = call(() -> admin.describeTopics(sourceTopics).allTopicNames()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS), "describe " + sourceTopics);
    List<NewTopic> missing = new ArrayList<>();
    for (TopicDescription source : sources.values()) {
      int partitions = source.partitions().size();
      List<String> outputs = new ArrayList<>();
      for (String region : config.regions()) {
        outputs.add(TopicNames.regionTopic(region, source.name()));
      }
      outputs.add(TopicNames.dlqTopic(source.name()));
      for (String output : outputs) {
        if (!existing.contains(output)) {
          missing.add(newTopic(output, partitions));
        }
      }
    }
    create(missing);
    Set<String> created = new TreeSet<>();
    missing.forEach(t -> created.add(t.name()));
    if (!created.isEmpty()) {
      LOG.info("created router output topics {}", created);
    }
    return created;
  }

  private NewTopic newTopic(String name, int partitions) {
    return new NewTopic(name, Optional.of(partitions), Optional.ofNullable(config.topicReplicationFactor()));
  }

  private void create(List<NewTopic> topics) {
    if (topics.isEmpty()) {
      return;
    }
    Map<String, Throwable> failures = new HashMap<>();
    admin.createTopics(topics).values().forEach((name, future) -> {
      try {
        future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          failures.put(name, e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted creating " + name, e);
      } catch (TimeoutException e) {
        failures.put(name, e);
      }
    });
    if (!failures.isEmpty()) {
      throw new IllegalStateException("could not create topics on " + config.bootstrapServers() + ": " + failures
          + "; check the cluster is reachable and the router may create topics (or create them beforehand)");
    }
  }

  private Set<String> listTopics() {
    return call(() -> admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS),
        "list topics");
  }

  private interface AdminCall<T> {
    T run() throws InterruptedException, ExecutionException, TimeoutException;
  }

  private <T> T call(AdminCall<T> call, String what) {
    try {
      return call.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not " + what + " on " + config.bootstrapServers() + ": " + e.getCause(),
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("could not " + what + " on " + config.bootstrapServers() + " within "
          + timeout.toMillis() + " ms (" + RegionRouterConfig.STARTUP_TIMEOUT_MS + "): is the ingress cluster reachable at "
          + RegionRouterConfig.BOOTSTRAP_SERVERS + "?", e);
    }
  }
}
