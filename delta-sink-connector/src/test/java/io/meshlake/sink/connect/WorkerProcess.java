package io.meshlake.sink.connect;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A Connect worker in its own JVM (the real runtime, this test's classpath), so a test can kill it
 * with SIGKILL the way a machine dies.
 */
final class WorkerProcess implements AutoCloseable {

  private final Process process;
  final int port;

  private WorkerProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  static WorkerProcess start(Path dir, String bootstrapServers, String groupId, Map<String, String> extra) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", groupId);
    props.put("config.storage.topic", groupId + "-configs");
    props.put("offset.storage.topic", groupId + "-offsets");
    props.put("status.storage.topic", groupId + "-status");
    props.put("config.storage.replication.factor", "1");
    props.put("offset.storage.replication.factor", "1");
    props.put("status.storage.replication.factor", "1");
    props.put("offset.storage.partitions", "1");
    props.put("status.storage.partitions", "1");
    props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("listeners", "http://127.0.0.1:" + port);
    props.put("plugin.discovery", "service_load");
    props.put("offset.flush.interval.ms", "1000");
    props.put("connector.client.config.override.policy", "All");
    // A killed worker's place is taken quickly: short sessions, no grace delay for lost tasks.
    props.put("session.timeout.ms", "6000");
    props.put("heartbeat.interval.ms", "1000");
    props.put("scheduled.rebalance.max.delay.ms", "0");
    props.putAll(extra);
    Path config = dir.resolve("worker-" + port + ".properties");
    try (var out = Files.newOutputStream(config)) {
      props.store(out, "meshlake crash test worker");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx768m");
    command.add("-Dlog4j2.configurationFile=log4j2-test.xml");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.apache.kafka.connect.cli.ConnectDistributed");
    command.add(config.toString());
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("worker.log").toFile()))
        .start();
    WorkerProcess worker = new WorkerProcess(process, port);
    worker.awaitRest(Duration.ofMinutes(2));
    return worker;
  }

  private void awaitRest(Duration timeout) {
    HttpClient http = HttpClient.newHttpClient();
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      if (!process.isAlive()) {
        throw new IllegalStateException("worker process exited with " + process.exitValue() + " before serving REST");
      }
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/connectors")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // REST server not bound yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      try {
        process.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalStateException("worker REST not up within " + timeout);
  }

  String rest() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL: no shutdown hook, no flush, no graceful rebalance. */
  void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }

}
