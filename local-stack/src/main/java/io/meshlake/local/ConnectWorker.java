package io.meshlake.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * A region's Connect worker (the real distributed runtime, in this JVM) on a fixed port: it runs
 * the region's MirrorMaker 2 connector and delta sinks, deployed through its REST API.
 */
final class ConnectWorker implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connect<?> connect;
  private final URI rest;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private ConnectWorker(Connect<?> connect, URI rest) {
    this.connect = connect;
    this.rest = rest;
  }

  static ConnectWorker start(String region, String bootstrapServers, int port, Map<String, String> extra) {
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", "meshlake-connect-" + region);
    props.put("config.storage.topic", "meshlake-connect-" + region + "-configs");
    props.put("offset.storage.topic", "meshlake-connect-" + region + "-offsets");
    props.put("status.storage.topic", "meshlake-connect-" + region + "-status");
    props.put("config.storage.replication.factor", "1");
    props.put("offset.storage.replication.factor", "1");
    props.put("status.storage.replication.factor", "1");
    props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    props.put("listeners", "http://127.0.0.1:" + port);
    props.put("plugin.discovery", "service_load");
    props.put("connector.client.config.override.policy", "All");
    props.put("offset.flush.interval.ms", "5000");
    props.put("scheduled.rebalance.max.delay.ms", "0");
    props.putAll(extra);
    // Keep our own group and listeners whatever the generated worker settings say.
    props.put("listeners", "http://127.0.0.1:" + port);
    Connect<?> connect = new ConnectDistributed().startConnect(props);
    ConnectWorker worker = new ConnectWorker(connect, URI.create("http://127.0.0.1:" + port));
    worker.awaitReady(Duration.ofMinutes(2));
    return worker;
  }

  URI rest() {
    return rest;
  }

  /** Creates or updates a connector (PUT is idempotent, so a restart re-applies the same configs). */
  void deploy(String name, Map<String, String> config) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name + "/config"))
        .header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json(config))));
    if (response.statusCode() / 100 != 2) {
      throw new IllegalStateException("deploying connector " + name + " failed: " + response.statusCode() + " " + response.body());
    }
  }

  /** The connector's status JSON, or null while it has none. */
  String status(String name) {
    HttpResponse<String> response = send(HttpRequest.newBuilder(rest.resolve("/connectors/" + name + "/status")).GET());
    return response.statusCode() == 200 ? response.body() : null;
  }

  private void awaitReady(Duration timeout) {
    long until = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(rest.resolve("/connectors")).GET().build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // the REST server binds before the worker has joined its group
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (System.nanoTime() > until) {
        throw new IllegalStateException("Connect worker at " + rest + " not ready within " + timeout);
      }
      Pause.briefly();
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException("Connect REST call to " + rest + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String json(Map<String, String> config) {
    try {
      return JSON.writeValueAsString(config);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    connect.stop();
    connect.awaitStop();
  }
}
