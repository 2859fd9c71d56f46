package io.meshlake.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.UUID;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * A single-node KRaft Kafka cluster (combined broker and controller) on fixed localhost ports, with
 * its log in a data directory that survives restarts: formatted once, then reused.
 */
final class LocalKafka implements AutoCloseable {

  private final String name;
  private final int port;
  private KafkaRaftServer server;

  private LocalKafka(String name, int port) {
    this.name = name;
    this.port = port;
  }

  static LocalKafka start(String name, int port, Path dataDir) {
    LocalKafka kafka = new LocalKafka(name, port);
    kafka.startServer(dataDir);
    return kafka;
  }

  String bootstrapServers() {
    return "localhost:" + port;
  }

  String name() {
    return name;
  }

  private void startServer(Path dataDir) {
    Path logs = dataDir.resolve("kafka-" + name);
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.voters", "1@localhost:" + (port + 1));
    props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + (port + 1));
    props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", logs.toAbsolutePath().toString());
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "8");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "8");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "4");
    try {
      Files.createDirectories(logs);
      Path config = dataDir.resolve("kafka-" + name + ".properties");
      try (OutputStream out = Files.newOutputStream(config)) {
        props.store(out, "meshlake local stack: " + name);
      }
      // Format once; a restart finds the directory formatted and keeps every topic.
      if (!Files.exists(logs.resolve("meta.properties"))) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int status = StorageTool.execute(new String[] {"format", "--config", config.toString(),
            "--cluster-id", clusterId(name), "--ignore-formatted"}, new PrintStream(output, true, StandardCharsets.UTF_8));
        if (status != 0) {
          throw new IllegalStateException("formatting Kafka '" + name + "' in " + logs + " failed: " + output);
        }
      }
      server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
      server.startup();
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare Kafka '" + name + "' in " + logs, e);
    } catch (RuntimeException e) {
      throw new IllegalStateException("could not start Kafka '" + name + "' on port " + port
          + " (is another meshlake or Kafka using it? see --port-base): " + e.getMessage(), e);
    }
  }

  /** A stable cluster id per cluster name, so a restart sees the same cluster. */
  static String clusterId(String name) {
    UUID uuid = UUID.nameUUIDFromBytes(("meshlake-local-" + name).getBytes(StandardCharsets.UTF_8));
    return org.apache.kafka.common.Uuid.fromString(
        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(toBytes(uuid))).toString();
  }

  private static byte[] toBytes(UUID uuid) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
    b.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
    return b.array();
  }

  @Override
  public void close() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
      server = null;
    }
  }
}
