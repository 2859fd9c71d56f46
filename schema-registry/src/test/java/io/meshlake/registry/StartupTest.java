package io.meshlake.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.testkit.KafkaClusterExtension;
import io.meshlake.testkit.KafkaTestCluster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration fails at start, with a message that names the setting and the fix. */
class StartupTest {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  @TempDir
  Path dir;

  private RegistryConfig.Builder valid() {
    return RegistryConfig.builder()
        .bootstrapServers(KAFKA.bootstrapServers())
        .topic(KafkaTestCluster.uniqueTopic("_schemas"))
        .listenHost("127.0.0.1")
        .listenPort(0);
  }

  @Test
  void missingBootstrapServersNamesTheSettingAndTheEnvironmentVariable() {
    assertThatThrownBy(() -> RegistryConfig.fromProperties(new Properties(), Map.of()))
        .isInstanceOf(RegistryConfigException.class)
        .hasMessageContaining("bootstrap.servers is not set")
        .hasMessageContaining("MESHLAKE_REGISTRY_BOOTSTRAP_SERVERS")
        .hasMessageContaining("localhost:9092");
  }

  @Test
  void everyBadSettingIsReportedAtOnce() {
    Properties properties = new Properties();
    properties.setProperty("bootstrap.servers", "localhost");
    properties.setProperty("listen.port", "eighty");
    properties.setProperty("default.compatibility", "SIDEWAYS");
    properties.setProperty("bootstrap.server", "typo:9092");

    RegistryConfigException e = (RegistryConfigException) org.assertj.core.api.Assertions.catchThrowable(
        () -> RegistryConfig.fromProperties(properties, Map.of("MESHLAKE_REGISTRY_HTTP_THREADS", "0")));

    assertThat(e.problems()).hasSize(5);
    assertThat(e.getMessage())
        .contains("'listen.port' in the properties file is 'eighty', which is not a whole number")
        .contains("'default.compatibility' in the properties file is 'SIDEWAYS'")
        .contains("unknown setting 'bootstrap.server'")
        .contains("bootstrap.servers entry 'localhost' is not host:port")
        .contains("http.threads is 0");
  }

  @Test
  void environmentVariablesOverrideTheFile() throws IOException {
    Path file = dir.resolve("registry.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nlisten.port=8081\ntopic=from-file\n");

    RegistryConfig config = SchemaRegistryMain.loadConfig(new String[] {file.toString()}, Map.of(
        "MESHLAKE_REGISTRY_BOOTSTRAP_SERVERS", "env:9093",
        "MESHLAKE_REGISTRY_LISTEN_PORT", "9999",
        "MESHLAKE_REGISTRY_KAFKA_SECURITY_PROTOCOL", "SSL",
        "MESHLAKE_REGISTRY_URL", "http://belongs-to-a-client",
        "PATH", "/usr/bin"));

    assertThat(config.bootstrapServers()).isEqualTo("env:9093");
    assertThat(config.listenPort()).isEqualTo(9999);
    assertThat(config.topic()).isEqualTo("from-file");
    assertThat(config.kafkaProperties()).containsEntry("security.protocol", "SSL");
    assertThat(RegistryConfig.unknownEnvironment(Map.of("MESHLAKE_REGISTRY_URL", "x", "MESHLAKE_REGISTRY_TOPIC", "t")))
        .containsExactly("MESHLAKE_REGISTRY_URL");
  }

  @Test
  void aMissingPropertiesFileIsNamed() {
    assertThatThrownBy(() -> SchemaRegistryMain.loadConfig(new String[] {dir.resolve("nope.properties").toString()},
        Map.of()))
        .isInstanceOf(RegistryConfigException.class)
        .hasMessageContaining("nope.properties")
        .hasMessageContaining("does not exist");
  }

  @Test
  void theMainEntryPointStartsFromAFileAndWarnsAboutUnknownVariables() throws IOException {
    Path file = dir.resolve("registry.properties");
    Files.writeString(file, "bootstrap.servers=" + KAFKA.bootstrapServers() + "\nlisten.host=127.0.0.1\nlisten.port=0\n"
        + "topic=" + KafkaTestCluster.uniqueTopic("_schemas") + "\n");
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    try (SchemaRegistryServer server = SchemaRegistryMain.start(new String[] {file.toString()},
        Map.of("MESHLAKE_REGISTRY_LISTEN_PROT", "1"), new PrintStream(warnings, true, StandardCharsets.UTF_8))) {
      assertThat(new RegistryHttp(server.url()).get("/subjects").status()).isEqualTo(200);
    }
    assertThat(warnings.toString(StandardCharsets.UTF_8)).contains("MESHLAKE_REGISTRY_LISTEN_PROT");
  }

  @Test
  void anUnreachableKafkaFailsWithinTheStartupTimeout() {
    RegistryConfig config = valid().bootstrapServers("127.0.0.1:1").startupTimeout(Duration.ofSeconds(3)).build();

    assertThatThrownBy(() -> SchemaRegistryServer.start(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("could not reach Kafka at '127.0.0.1:1'")
        .hasMessageContaining("bootstrap.servers");
  }

  @Test
  void anUnresolvableBootstrapHostIsNamed() {
    RegistryConfig config = valid().bootstrapServers("no-such-host.invalid:9092").startupTimeout(Duration.ofSeconds(3))
        .build();

    assertThatThrownBy(() -> SchemaRegistryServer.start(config))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such-host.invalid:9092");
  }

  @Test
  void aTopicWithSeveralPartitionsIsRefused() {
    String topic = KafkaTestCluster.uniqueTopic("_schemas");
    KAFKA.cluster().createCompactedTopic(topic, 3);

    assertThatThrownBy(() -> SchemaRegistryServer.start(valid().topic(topic).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has 3 partitions")
        .hasMessageContaining("exactly 1");
  }

  @Test
  void aTopicThatIsNotCompactedIsRefused() {
    String topic = KafkaTestCluster.uniqueTopic("_schemas");
    KAFKA.cluster().createTopic(topic, 1);

    assertThatThrownBy(() -> SchemaRegistryServer.start(valid().topic(topic).build()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cleanup.policy=delete")
        .hasMessageContaining("cleanup.policy=compact");
  }

  @Test
  void aPortInUseIsNamed() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      RegistryConfig config = valid().listenPort(taken.getLocalPort()).build();

      assertThatThrownBy(() -> SchemaRegistryServer.start(config))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(Integer.toString(taken.getLocalPort()))
          .hasMessageContaining("listen.port");
    }
  }

  @Test
  void kafkaSettingsTheRegistryOwnsCannotBeOverridden() {
    assertThatThrownBy(() -> valid().kafkaProperty("enable.idempotence", "false").build())
        .isInstanceOf(RegistryConfigException.class)
        .hasMessageContaining("kafka.enable.idempotence cannot be overridden");
  }
}
