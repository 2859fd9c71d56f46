package io.meshlake.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Any;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufEncoder;
import io.meshlake.registry.RegistryConfig;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.TableScanner;
import io.meshlake.table.storage.LocalTableStore;
import io.meshlake.testkit.ConnectTestWorker;
import io.meshlake.testkit.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assembled plugin directory loads in an isolated plugin class loader through plugin.path with
 * service_load discovery (the connector is not on this test's classpath) and writes a table.
 */
class DeltaSinkPluginIT {

  static final String CONNECTOR = "io.meshlake.sink.connect.DeltaSinkConnector";

  @TempDir Path lake;

  @Test
  void thePluginDirectoryRunsTheSinkInIsolation() throws Exception {
    Path pluginPath = Path.of(System.getProperty("meshlake.plugin.path"));
    assertThat(pluginPath.resolve("meshlake-delta-sink")).isDirectory();
    try (var jars = Files.list(pluginPath.resolve("meshlake-delta-sink"))) {
      assertThat(jars.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("delta-sink-connector-"))
          .anyMatch(n -> n.startsWith("delta-kernel-api-"))
          .noneMatch(n -> n.startsWith("kafka-clients-") || n.startsWith("connect-api-"));
    }
    assertThatThrownBy(() -> Class.forName(CONNECTOR)).as("not on the test classpath").isInstanceOf(ClassNotFoundException.class);

    try (KafkaTestCluster kafka = KafkaTestCluster.builder().name("plugins").start();
        SchemaRegistryServer registry = SchemaRegistryServer.start(RegistryConfig.builder()
            .bootstrapServers(kafka.bootstrapServers()).topic("_schemas").listenPort(0).build());
        ConnectTestWorker worker = ConnectTestWorker.builder(kafka.bootstrapServers()).pluginPath(pluginPath).start()) {
      assertThat(worker.rest().get("/connector-plugins").body()).contains(CONNECTOR).contains("\"version\":\"0.1.0\"");

      String topic = "facsimile.jira";
      kafka.createTopic(topic, 1);
      ProtobufEncoder encoder = new ProtobufEncoder(new SchemaRegistryClient(registry.url()));
      try (KafkaProducer<byte[], byte[]> producer = kafka.producer()) {
        for (int i = 0; i < 25; i++) {
          FacsimileRecord record = FacsimileRecord.newBuilder()
              .setResourceAri(Ari.newBuilder().setValue("ari:cloud:jira:acme:issue/" + i))
              .setEntityType(1)
              .setWorkspaceId(Ari.newBuilder().setValue("ari:cloud:platform::workspace/acme"))
              .setVersion(1)
              .setEntity(Any.pack(JiraIssue.newBuilder().setIssueId(Integer.toString(i)).build()))
              .build();
          producer.send(new ProducerRecord<>(topic, record.getResourceAri().getValue().getBytes(StandardCharsets.UTF_8),
              encoder.encode(topic, record)));
        }
      }
      Map<String, String> config = new HashMap<>();
      config.put("connector.class", CONNECTOR);
      config.put("topics", topic);
      config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
      config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
      config.put("table.root", lake.toString());
      config.put("writer.type", "Append");
      config.put("domain", "jira");
      config.put("schema.registry.url", registry.url());
      config.put("errors.tolerance", "all");
      config.put("errors.deadletterqueue.topic.name", "dlq.jira");
      config.put("errors.deadletterqueue.topic.replication.factor", "1");
      config.put("flush.interval.ms", "500");
      var response = worker.rest().put("/connectors/raw-jira/config", new ObjectMapper().writeValueAsString(config));
      assertThat(response.ok()).as(response.body()).isTrue();

      LocalTableStore store = new LocalTableStore(lake);
      await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> {
        assertThat(worker.rest().get("/connectors/raw-jira/status").body()).doesNotContain("FAILED");
        assertThat(Files.isDirectory(lake.resolve("raw_jira_issue/_delta_log"))).isTrue();
        assertThat(TableScanner.readAll(DeltaTable.open(store, "raw_jira_issue"))).hasSize(25);
      });
    }
  }
}
