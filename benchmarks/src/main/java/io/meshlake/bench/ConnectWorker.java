package io.meshlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
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
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The Connect worker that runs the sink tasks, in its own JVM ({@code ConnectDistributed}, the real
 * runtime) so that its heap is the writer's alone: fixed {@code -Xmx}, a GC log for the heap figures,
 * JMX on a local port for the sink's metrics, and optionally a JFR recording. The sink is found on the
 * class path of this benchmark (the same jar), through its ServiceLoader manifest.
 */
final class ConnectWorker implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** What the worker JVM gets. */
  record Settings(String heap, List<String> jvmOptions, boolean jfr, String jfrSettings) {}

  private final Process process;
  private final URI rest;
  private final int jmxPort;
  private final Path logFile;
  private final Path gcLog;
  private final Path jfrFile;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private ConnectWorker(Process process, URI rest, int jmxPort, Path logFile, Path gcLog, Path jfrFile) {
    this.process = process;
    this.rest = rest;
    this.jmxPort = jmxPort;
    this.logFile = logFile;
    this.gcLog = gcLog;
    this.jfrFile = jfrFile;
  }

  static ConnectWorker start(Path dir, String bootstrapServers, Settings settings) throws IOException {
    Files.createDirectories(dir);
    int restPort = freePort();
    int jmxPort = freePort();
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", "bench-connect");
    props.put("config.storage.topic", "bench-connect-configs");
    props.put("offset.storage.topic", "bench-connect-offsets");
    props.put("status.storage.topic", "bench-connect-status");
    props.put("config.storage.replication.factor", "1");
    props.put("offset.storage.replication.factor", "1");
    props.put("status.storage.replication.factor", "1");
    props.put("offset.storage.partitions", "1");
    props.put("status.storage.partitions", "1");
    props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("listeners", "http://127.0.0.1:" + restPort);
    props.put("plugin.discovery", "service_load");
    // preCommit (where the sink also commits batches that are due by age) runs this often.
    props.put("offset.flush.interval.ms", "1000");
    // Model topics are transactional: the Merge connectors override isolation.level.
    props.put("connector.client.config.override.policy", "All");
    props.put("scheduled.rebalance.max.delay.ms", "0");
    Path config = dir.resolve("worker.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "meshlake benchmark Connect worker");
    }
    Path logFile = dir.resolve("worker.log");
    Path gcLog = dir.resolve("worker-gc.log");
    Path jfrFile = settings.jfr() ? dir.resolve("worker.jfr") : null;
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx" + settings.heap());
    command.add("-XX:+ExitOnOutOfMemoryError");
    command.addAll(settings.jvmOptions());
    command.add("-Xlog:gc:file=" + gcLog + ":timemillis,uptime");
    command.add("-Dlog4j2.configurationFile=bench-worker-log4j2.xml");
    command.add("-Dcom.sun.management.jmxremote.port=" + jmxPort);
    command.add("-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort);
    command.add("-Dcom.sun.management.jmxremote.authenticate=false");
    command.add("-Dcom.sun.management.jmxremote.ssl=false");
    command.add("-Dcom.sun.management.jmxremote.local.only=true");
    command.add("-Djava.rmi.server.hostname=127.0.0.1");
    if (jfrFile != null) {
      command.add("-XX:FlightRecorderOptions:stackdepth=256");
      command.add("-XX:StartFlightRecording=filename=" + jfrFile + ",settings=" + settings.jfrSettings() + ",dumponexit=true");
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.apache.kafka.connect.cli.ConnectDistributed");
    command.add(config.toString());
    Files.writeString(dir.resolve("worker-command.txt"), String.join(" ", command) + System.lineSeparator());
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    ConnectWorker worker = new ConnectWorker(process, URI.create("http://127.0.0.1:" + restPort), jmxPort, logFile, gcLog, jfrFile);
    // An interrupted benchmark (Ctrl-C) must not leave the worker JVM running on its own.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "bench-worker-stop"));
    try {
      worker.awaitRest(Duration.ofMinutes(3));
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    return worker;
  }

  private void awaitRest(Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      checkAlive();
      try {
        if (get("/connectors").status() == 200) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // the REST server is not bound yet
      }
      sleep(250);
    }
    throw new IllegalStateException("the Connect worker's REST API did not come up within " + timeout + "; see " + logFile);
  }

  /** Throws when the worker process has exited (for example out of heap: it runs with ExitOnOutOfMemoryError). */
  void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException("the Connect worker exited with code " + process.exitValue() + "; see " + logFile
          + " (an OutOfMemoryError there means the writer needed more than its heap)");
    }
  }

  /** A REST response: status and parsed body (null when empty or not JSON). */
  record Response(int status, String body) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    JsonNode json() {
      try {
        return body == null || body.isBlank() ? null : JSON.readTree(body);
      } catch (IOException e) {
        return null;
      }
    }
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(rest.resolve(path)).GET());
  }

  Response put(String path, Object body) {
    return send(HttpRequest.newBuilder(rest.resolve(path)).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(toJson(body))));
  }

  Response delete(String path) {
    return send(HttpRequest.newBuilder(rest.resolve(path)).DELETE());
  }

  private static String toJson(Object body) {
    try {
      return body == null ? "" : JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(90)).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("Connect REST call to " + rest + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int jmxPort() {
    return jmxPort;
  }

  Path logFile() {
    return logFile;
  }

  Path gcLog() {
    return gcLog;
  }

  /** The JFR recording, complete once the worker has stopped; null when not recording. */
  Path jfrFile() {
    return jfrFile;
  }

  /** Stops the worker the way an orchestrator does (SIGTERM: tasks stop, JFR is dumped), then waits for it. */
  void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    stop();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
