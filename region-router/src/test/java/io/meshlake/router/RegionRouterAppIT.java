package io.meshlake.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.meshlake.testkit.KafkaClusterExtension;
import io.meshlake.testkit.KafkaTestCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The router application's life cycle on a real cluster: start checks, topic discovery, health. */
class RegionRouterAppIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  private static final Duration PATIENCE = Duration.ofMinutes(3);

  /** A config with its own application id, residency topics and state directory. */
  private static RegionRouterConfig config(UnaryOperator<RegionRouterConfig.Builder> customize) throws Exception {
    String id = KafkaTestCluster.uniqueTopic("router");
    return customize.apply(RegionRouterConfig.builder()
            .bootstrapServers(KAFKA.bootstrapServers())
            .applicationId(id)
            .residencyTopic(id + ".residency")
            .residencyChangesTopic(id + ".residency-changes")
            .region("eu", "eu-kafka.invalid:9092")
            .region("us", "us-kafka.invalid:9092")
            .stateDir(Files.createDirectories(Path.of("target", "state", id)))
            .httpHost("127.0.0.1")
            .httpPort(0))
        .build();
  }

  @Test
  void anIngressTopicCreatedWhileRunningGetsItsRegionTopicsAndIsRouted() throws Exception {
    String domain = "d" + System.nanoTime();
    RegionRouterConfig config = config(b -> b
        .sourcePattern("facsimile\\." + domain + "-.+")
        .topicsRefreshInterval(Duration.ofMillis(500))
        .streamsProperty("metadata.max.age.ms", "1000"));
    try (RegionRouterApp router = RegionRouterApp.start(config); ResidencyAdmin admin = ResidencyAdmin.create(config)) {
      router.awaitRunning(PATIENCE);
      admin.assign("acme", "us");
      String ingressTopic = "facsimile." + domain + "-new";
      KAFKA.cluster().createTopic(ingressTopic, 2);
      await().atMost(PATIENCE).until(() -> ClusterScan.allTopics(KAFKA.cluster()).containsAll(List.of(
          TopicNames.regionTopic("eu", ingressTopic), TopicNames.regionTopic("us", ingressTopic),
          TopicNames.dlqTopic(ingressTopic))));
      try (KafkaProducer<byte[], byte[]> producer = KAFKA.cluster().producer()) {
        producer.send(new ProducerRecord<>(ingressTopic, Envelopes.key(domain, "acme", "1"),
            Envelopes.value(domain, "acme", "1", 1))).get();
      }
      // Routed is counted when processed; the record is readable once its transaction commits.
      await().atMost(PATIENCE).until(() -> KAFKA.cluster().readAll(TopicNames.regionTopic("us", ingressTopic)).size() == 1);
      assertThat(router.metrics().routed("us")).isEqualTo(1);
    }
  }

  @Test
  void healthIsUpWhileRunningAndCloseCanBeCalledTwice() throws Exception {
    String topic = "facsimile." + KafkaTestCluster.uniqueTopic("health");
    KAFKA.cluster().createTopic(topic, 1);
    RegionRouterApp router = RegionRouterApp.start(config(b -> b.sourceTopics(List.of(topic))));
    try {
      router.awaitRunning(PATIENCE);
      assertThat(get(router.httpPort(), "/health")).isEqualTo(200);
      assertThat(get(router.httpPort(), "/metrics")).isEqualTo(200);
      assertThat(get(router.httpPort(), "/held")).isEqualTo(200);
    } finally {
      router.close();
      router.close();
    }
    assertThat(router.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
  }

  @Test
  void aConfiguredIngressTopicThatDoesNotExistStopsTheStartNamingIt() {
    assertThatThrownBy(() -> RegionRouterApp.start(config(b -> b.sourceTopics(List.of("facsimile.nosuchdomain")))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("[facsimile.nosuchdomain]")
        .hasMessageContaining("do not exist");
  }

  @Test
  void aResidencyTopicThatExpiresRecordsIsRefused() throws Exception {
    String topic = "facsimile." + KafkaTestCluster.uniqueTopic("expiring");
    KAFKA.cluster().createTopic(topic, 1);
    RegionRouterConfig config = config(b -> b.sourceTopics(List.of(topic)));
    KAFKA.cluster().createTopic(config.residencyTopic(), 1,
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE));
    assertThatThrownBy(() -> RegionRouterApp.start(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cleanup.policy=delete")
        .hasMessageContaining("set cleanup.policy=compact");
  }

  private static int get(int port, String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
