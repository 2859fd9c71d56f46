package io.meshlake.sink.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufEncoder;
import io.meshlake.registry.RegistryConfig;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.testkit.ConnectTestWorker;
import io.meshlake.testkit.KafkaTestCluster;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** A real broker, registry and Connect worker for sink tests; the sink plugin is on the classpath. */
final class SinkHarness implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  final KafkaTestCluster kafka;
  final SchemaRegistryServer registry;
  final ConnectTestWorker connect;
  final ProtobufEncoder encoder;

  SinkHarness() {
    this(500);
  }

  /** @param offsetFlushMillis the worker's offset.flush.interval.ms: how often Connect calls an idle task */
  SinkHarness(long offsetFlushMillis) {
    kafka = KafkaTestCluster.builder().name("sink").start();
    registry = SchemaRegistryServer.start(RegistryConfig.builder()
        .bootstrapServers(kafka.bootstrapServers()).topic("_schemas").listenPort(0).build());
    connect = ConnectTestWorker.builder(kafka.bootstrapServers())
        .property("connector.client.config.override.policy", "All")
        .property("offset.flush.interval.ms", Long.toString(offsetFlushMillis))
        .start();
    encoder = new ProtobufEncoder(new SchemaRegistryClient(registry.url()));
  }

  /** The connector configuration every sink test starts from. */
  Map<String, String> baseConfig(String topic, String tableRoot, String dlqTopic) {
    Map<String, String> config = new HashMap<>();
    config.put("connector.class", DeltaSinkConnector.class.getName());
    config.put("topics", topic);
    config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    config.put("table.root", tableRoot);
    config.put("schema.registry.url", registry.url());
    config.put("errors.tolerance", "all");
    config.put("errors.deadletterqueue.topic.name", dlqTopic);
    config.put("errors.deadletterqueue.topic.replication.factor", "1");
    config.put("errors.deadletterqueue.context.headers.enable", "true");
    config.put("flush.interval.ms", "500");
    config.put("consumer.override.max.poll.records", "500");
    return config;
  }

  void deploy(String name, Map<String, String> config) throws Exception {
    ConnectTestWorker.ConnectRest.Response response = connect.rest().put("/connectors/" + name + "/config", JSON.writeValueAsString(config));
    if (!response.ok()) {
      throw new IllegalStateException("deploying " + name + " failed: " + response.status() + " " + response.body());
    }
  }

  /** Fails the test with the task's trace as soon as a task of the connector has failed. */
  void assertNoFailedTask(String name) throws Exception {
    ConnectTestWorker.ConnectRest.Response status = connect.rest().get("/connectors/" + name + "/status");
    if (status.ok() && status.body().contains("\"FAILED\"")) {
      throw new AssertionError("connector " + name + " failed: " + status.body());
    }
  }

  static Duration deadline() {
    return Duration.ofMinutes(3);
  }

  @Override
  public void close() {
    connect.close();
    registry.close();
    kafka.close();
  }
}
