package io.meshlake.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class StreamsTopologyConfigTest {

  private static final Map<String, String> REQUIRED = Map.of(
      "bootstrap.servers", "kafka-1:9092,kafka-2:9092",
      "schema.registry.url", "http://registry:8081");

  @Test
  void defaultsApplyWhenOnlyTheRequiredSettingsAreGiven() {
    StreamsTopologyConfig config = StreamsTopologyConfig.of(REQUIRED);

    assertThat(config.applicationId()).isEqualTo("meshlake-streams");
    assertThat(config.inputDomains()).containsExactlyInAnyOrder("jira", "confluence");
    assertThat(config.numStreamThreads()).isEqualTo(1);
    assertThat(config.numStandbyReplicas()).isZero();
    assertThat(config.tombstoneRetention()).isEqualTo(Duration.ofDays(30));
    assertThat(config.tombstonePurgeInterval()).isEqualTo(Duration.ofHours(1));
    assertThat(config.modelTopicPartitions()).isEmpty();
    assertThat(config.dlqTopicPartitions()).isEmpty();
    assertThat(config.topicReplicationFactor()).isEmpty();
    assertThat(config.registryRetryTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.stateDir()).isEmpty();
    assertThat(config.streamsOverrides()).isEmpty();
  }

  @Test
  void streamsSettingsArePassedThroughAndExactlyOnceIsAlwaysOn() {
    Map<String, String> settings = new HashMap<>(REQUIRED);
    settings.put("streams.replication.factor", "3");
    settings.put("num.stream.threads", "4");
    settings.put("num.standby.replicas", "1");

    var props = StreamsTopologyApp.streamsProperties(StreamsTopologyConfig.of(settings));

    assertThat(props).containsEntry("replication.factor", "3")
        .containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("num.stream.threads", 4)
        .containsEntry("num.standby.replicas", 1)
        .containsEntry("application.id", "meshlake-streams")
        .as("transactions commit each second unless told otherwise").containsEntry("commit.interval.ms", 1_000L);

    settings.put("streams.commit.interval.ms", "100");
    assertThat(StreamsTopologyApp.streamsProperties(StreamsTopologyConfig.of(settings))).containsEntry("commit.interval.ms", "100");
  }

  @Test
  void theProducerCompressesInLargeBatchesUnlessTold() {
    Map<String, String> settings = new HashMap<>(REQUIRED);
    Map<String, Object> producer = new org.apache.kafka.streams.StreamsConfig(
        StreamsTopologyApp.streamsProperties(StreamsTopologyConfig.of(settings))).getProducerConfigs("c");
    assertThat(producer).containsEntry("compression.type", "lz4").containsEntry("batch.size", 262_144);

    settings.put("streams.compression.type", "zstd");
    settings.put("streams.producer.batch.size", "65536");
    producer = new org.apache.kafka.streams.StreamsConfig(
        StreamsTopologyApp.streamsProperties(StreamsTopologyConfig.of(settings))).getProducerConfigs("c");
    assertThat(producer).as("either form of an override wins over the default")
        .containsEntry("compression.type", "zstd").containsEntry("batch.size", "65536");
  }

  @Test
  void environmentVariablesOverrideTheFile() {
    Properties file = new Properties();
    file.setProperty("bootstrap.servers", "file:9092");
    file.setProperty("schema.registry.url", "http://file:8081");
    file.setProperty("tombstone.retention.ms", "1000");

    StreamsTopologyConfig config = StreamsTopologyConfig.fromProperties(file, Map.of(
        "MESHLAKE_STREAMS_BOOTSTRAP_SERVERS", "env:9092",
        "MESHLAKE_STREAMS_INPUT_DOMAINS", "jira",
        "MESHLAKE_STREAMS_STREAMS_COMMIT_INTERVAL_MS", "250",
        "PATH", "/usr/bin"));

    assertThat(config.bootstrapServers()).isEqualTo("env:9092");
    assertThat(config.schemaRegistryUrl()).isEqualTo("http://file:8081");
    assertThat(config.inputDomains()).containsExactly("jira");
    assertThat(config.tombstoneRetention()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.streamsOverrides()).containsEntry("commit.interval.ms", "250");
    assertThat(config.warnings()).isEmpty();
  }

  @Test
  void unknownEnvironmentVariablesAreWarningsBecausePlatformsInjectLookalikes() {
    Properties file = new Properties();
    REQUIRED.forEach(file::setProperty);

    StreamsTopologyConfig config = StreamsTopologyConfig.fromProperties(file, Map.of("MESHLAKE_STREAMS_PORT", "tcp://10.0.0.1:8080"));

    assertThat(config.warnings()).singleElement().asString().contains("MESHLAKE_STREAMS_PORT");
  }

  @Test
  void everyProblemIsReportedAtOnceNamingTheSettingAndTheFix() {
    Properties file = new Properties();
    file.setProperty("schema.registry.url", "registry:8081");
    file.setProperty("num.stream.threads", "zero");
    file.setProperty("tombstone.retention.ms", "0");
    file.setProperty("input.domains", "jira,bitbucket");
    file.setProperty("http.port", "70000");
    file.setProperty("tombstone.retention", "30d");
    file.setProperty("streams.processing.guarantee", "at_least_once");

    assertThatThrownBy(() -> StreamsTopologyConfig.fromProperties(file, Map.of()))
        .isInstanceOfSatisfying(StreamsConfigException.class, e -> assertThat(e.problems()).satisfiesExactlyInAnyOrder(
            p -> assertThat(p).contains("unknown setting 'tombstone.retention'"),
            p -> assertThat(p).contains("bootstrap.servers is not set").contains("MESHLAKE_STREAMS_BOOTSTRAP_SERVERS"),
            p -> assertThat(p).contains("schema.registry.url").contains("http(s) URL"),
            p -> assertThat(p).contains("'num.stream.threads' in the properties file is 'zero'"),
            p -> assertThat(p).contains("'tombstone.retention.ms' in the properties file is 0").contains("at least 1"),
            p -> assertThat(p).contains("domain 'bitbucket'").contains("[jira, confluence]"),
            p -> assertThat(p).contains("'http.port' in the properties file is 70000"),
            p -> assertThat(p).contains("streams.processing.guarantee").contains("always exactly_once_v2")));
  }

  @Test
  void registryRetryMustEndBeforeTheGroupWouldEvictTheThread() {
    Map<String, String> settings = new HashMap<>(REQUIRED);
    settings.put("registry.retry.timeout.ms", "60000");
    settings.put("streams.max.poll.interval.ms", "60000");

    assertThatThrownBy(() -> StreamsTopologyConfig.of(settings))
        .isInstanceOf(StreamsConfigException.class)
        .hasMessageContaining("registry.retry.timeout.ms").hasMessageContaining("max.poll.interval.ms");
  }

  @Test
  void bootstrapServersMustBeHostAndPort() {
    Map<String, String> settings = new HashMap<>(REQUIRED);
    settings.put("bootstrap.servers", "kafka-1");

    assertThatThrownBy(() -> StreamsTopologyConfig.of(settings))
        .isInstanceOf(StreamsConfigException.class)
        .hasMessageContaining("'kafka-1' is not host:port");
  }

  @Test
  void envNamesFollowTheKeys() {
    assertThat(StreamsTopologyConfig.envName("tombstone.retention.ms")).isEqualTo("MESHLAKE_STREAMS_TOMBSTONE_RETENTION_MS");
    assertThat(List.of(StreamsTopologyConfig.ENV_PREFIX)).containsExactly("MESHLAKE_STREAMS_");
  }
}
