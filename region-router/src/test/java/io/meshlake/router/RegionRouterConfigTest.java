package io.meshlake.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RegionRouterConfigTest {

  private static Properties props(String... keyValues) {
    Properties props = new Properties();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.setProperty(keyValues[i], keyValues[i + 1]);
    }
    return props;
  }

  private static Properties minimal() {
    return props("bootstrap.servers", "ingress:9092", "regions", "eu,us",
        "region.eu.bootstrap.servers", "eu-kafka:9092", "region.us.bootstrap.servers", "us-kafka:9092");
  }

  @Test
  void readsRegionsAndTheirClientSettingsFromProperties() {
    Properties props = minimal();
    props.setProperty("region.eu.security.protocol", "SSL");
    props.setProperty("source.topics", "facsimile.jira, facsimile.confluence");
    props.setProperty("default.region", "eu");
    props.setProperty("held.release.interval.ms", "250");
    props.setProperty("http.port", "0");
    props.setProperty("ingress.security.protocol", "SASL_SSL");
    props.setProperty("streams.num.stream.threads", "2");
    props.setProperty("mirror.tasks.max", "4");
    RegionRouterConfig config = RegionRouterConfig.fromProperties(props, Map.of());

    assertThat(config.regions()).containsExactly("eu", "us");
    assertThat(config.regionSettings("eu")).containsEntry("bootstrap.servers", "eu-kafka:9092")
        .containsEntry("security.protocol", "SSL");
    assertThat(config.regionSettings("us")).containsOnlyKeys("bootstrap.servers");
    assertThat(config.sourceTopics()).containsExactly("facsimile.jira", "facsimile.confluence");
    assertThat(config.sourcePattern()).isNull();
    assertThat(config.defaultRegion()).isEqualTo("eu");
    assertThat(config.heldReleaseInterval()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.httpPort()).isZero();
    assertThat(config.ingressClientConfig()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("bootstrap.servers", "ingress:9092");
    assertThat(config.streamsProperties()).containsEntry("num.stream.threads", "2");
    assertThat(config.mirrorProperties()).containsEntry("tasks.max", "4");
  }

  @Test
  void twelveRegionsAreAConfigurationChange() {
    Properties props = props("bootstrap.servers", "ingress:9092");
    List<String> regions = List.of("eu", "us", "ap-southeast", "ap-northeast", "ca", "uk", "de", "fr", "jp", "in",
        "br", "au");
    props.setProperty("regions", String.join(",", regions));
    regions.forEach(r -> props.setProperty("region." + r + ".bootstrap.servers", r + "-kafka:9092"));
    RegionRouterConfig config = RegionRouterConfig.fromProperties(props, Map.of());
    assertThat(config.regions()).containsExactlyElementsOf(regions);
    assertThat(config.regionBootstrapServers("ap-northeast")).isEqualTo("ap-northeast-kafka:9092");
  }

  @Test
  void defaultsAreTheDocumentedOnes() {
    RegionRouterConfig config = RegionRouterConfig.fromProperties(minimal(), Map.of());
    assertThat(config.applicationId()).isEqualTo("meshlake-region-router");
    assertThat(config.sourcePattern().pattern()).isEqualTo("facsimile\\..+");
    assertThat(config.residencyTopic()).isEqualTo("control.workspace-residency");
    assertThat(config.residencyChangesTopic()).isEqualTo("control.residency-changes");
    assertThat(config.defaultRegion()).isNull();
    assertThat(config.heldReleaseInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.topicReplicationFactor()).isNull();
  }

  @Test
  void environmentVariablesOverrideTheFile() {
    Properties props = minimal();
    props.setProperty("region.eu-west.bootstrap.servers", "x:1");
    props.setProperty("regions", "eu,us,eu-west");
    RegionRouterConfig config = RegionRouterConfig.fromProperties(props, Map.of(
        "MESHLAKE_ROUTER_BOOTSTRAP_SERVERS", "other-ingress:9093",
        "MESHLAKE_ROUTER_REGION_EU_BOOTSTRAP_SERVERS", "eu-2:9092",
        "MESHLAKE_ROUTER_REGION_EU_WEST_BOOTSTRAP_SERVERS", "euw:9092",
        "MESHLAKE_ROUTER_REGION_US_SASL_MECHANISM", "PLAIN",
        "MESHLAKE_ROUTER_STREAMS_COMMIT_INTERVAL_MS", "200",
        "MESHLAKE_ROUTER_HTTP_PORT", "9999",
        "PATH", "/usr/bin"));
    assertThat(config.bootstrapServers()).isEqualTo("other-ingress:9093");
    assertThat(config.regionBootstrapServers("eu")).isEqualTo("eu-2:9092");
    assertThat(config.regionBootstrapServers("eu-west")).isEqualTo("euw:9092");
    assertThat(config.regionSettings("us")).containsEntry("sasl.mechanism", "PLAIN");
    assertThat(config.streamsProperties()).containsEntry("commit.interval.ms", "200");
    assertThat(config.httpPort()).isEqualTo(9999);
    assertThat(RegionRouterConfig.unknownEnvironment(props, Map.of("MESHLAKE_ROUTER_BOOTSTRAP_SERVER", "typo",
        "MESHLAKE_ROUTER_REGIONS", "eu"))).containsExactly("MESHLAKE_ROUTER_BOOTSTRAP_SERVER");
  }

  @Test
  void regionsCanComeFromTheEnvironmentAlone() {
    RegionRouterConfig config = RegionRouterConfig.fromProperties(new Properties(), Map.of(
        "MESHLAKE_ROUTER_BOOTSTRAP_SERVERS", "ingress:9092",
        "MESHLAKE_ROUTER_REGIONS", "eu",
        "MESHLAKE_ROUTER_REGION_EU_BOOTSTRAP_SERVERS", "eu:9092"));
    assertThat(config.regions()).containsExactly("eu");
    assertThat(config.regionBootstrapServers("eu")).isEqualTo("eu:9092");
  }

  @Test
  void aRegionWithoutBootstrapServersIsRefusedNamingTheSettingAndTheFix() {
    Properties props = minimal();
    props.remove("region.us.bootstrap.servers");
    assertThatThrownBy(() -> RegionRouterConfig.fromProperties(props, Map.of()))
        .isInstanceOf(RegionRouterConfigException.class)
        .hasMessageContaining("region.us.bootstrap.servers is missing")
        .hasMessageContaining("MESHLAKE_ROUTER_REGION_US_BOOTSTRAP_SERVERS");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    Properties props = props("regions", "eu,EU_2,ingress", "region.eu.bootstrap.servers", "nohost",
        "region.ap.bootstrap.servers", "ap:9092", "default.region", "ap", "http.port", "70000",
        "held.release.interval.ms", "soon", "source.topics", "jira", "mirror.topics", ".*",
        "streams.processing.guarantee", "at_least_once", "colour", "blue");
    assertThatThrownBy(() -> RegionRouterConfig.fromProperties(props, Map.of()))
        .isInstanceOf(RegionRouterConfigException.class)
        .satisfies(e -> assertThat(((RegionRouterConfigException) e).problems()).hasSize(13))
        .hasMessageContaining("unknown setting 'colour'")
        .hasMessageContaining("bootstrap.servers is not set")
        .hasMessageContaining("MESHLAKE_ROUTER_BOOTSTRAP_SERVERS")
        .hasMessageContaining("entry 'nohost' is not host:port")
        .hasMessageContaining("region 'EU_2'")
        .hasMessageContaining("region 'ingress'")
        .hasMessageContaining("'region.ap.bootstrap.servers' in the properties file belongs to no region")
        .hasMessageContaining("'default.region' in the properties file is 'ap', which is not one of regions=eu,EU_2,ingress")
        .hasMessageContaining("'http.port' in the properties file is 70000")
        .hasMessageContaining("'held.release.interval.ms' in the properties file is 'soon'")
        .hasMessageContaining("'source.topics' in the properties file lists 'jira'")
        .hasMessageContaining("mirror.topics cannot be overridden")
        .hasMessageContaining("streams.processing.guarantee cannot be overridden");
  }

  @Test
  void aSourcePatternThatWouldReadTheRoutersOwnOutputIsRefused() {
    assertThatThrownBy(() -> RegionRouterConfig.builder().bootstrapServers("ingress:9092").region("eu", "eu:9092")
        .sourcePattern(".*facsimile.*").stateDir(Path.of("state")).build())
        .isInstanceOf(RegionRouterConfigException.class)
        .hasMessageContaining("also matches 'region.eu.facsimile.jira'");
  }

  @Test
  void theMainRefusesAMissingPropertiesFile() {
    assertThatThrownBy(() -> RegionRouterMain.loadConfig(new String[] {"no-such-router.properties"}, Map.of()))
        .isInstanceOf(RegionRouterConfigException.class)
        .hasMessageContaining("no-such-router.properties")
        .hasMessageContaining("does not exist");
  }
}
