package io.meshlake.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;

/**
 * A real distributed Connect worker running in this JVM against any Kafka cluster, with its REST
 * API on a free localhost port. Several workers with the same {@code groupId} form one Connect
 * cluster. Connectors are deployed through the REST API ({@link #rest()}), as in production.
 */
public final class ConnectTestWorker implements AutoCloseable {

  private final Connect<?> connect;
  private final URI restUri;
  private final ConnectRest rest;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ConnectTestWorker(Connect<?> connect, URI restUri) {
    this.connect = connect;
    this.restUri = restUri;
    this.rest = new ConnectRest(restUri);
  }

  public static Builder builder(String bootstrapServers) {
    return new Builder(bootstrapServers);
  }

  /** Configures a worker; every internal topic name is derived from the group id. */
  public static final class Builder {
    private final Map<String, String> props = new HashMap<>();
    private String groupId = "connect-" + Long.toHexString(System.nanoTime());

    private Builder(String bootstrapServers) {
      props.put("bootstrap.servers", bootstrapServers);
      props.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
      props.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
      props.put("config.storage.replication.factor", "1");
      props.put("offset.storage.replication.factor", "1");
      props.put("status.storage.replication.factor", "1");
      props.put("offset.storage.partitions", "1");
      props.put("status.storage.partitions", "1");
      props.put("offset.flush.interval.ms", "1000");
      props.put("scheduled.rebalance.max.delay.ms", "2000");
      // Plugins on the classpath, found through ServiceLoader manifests: about twice as fast.
      props.put("plugin.discovery", "service_load");
    }

    public Builder groupId(String groupId) {
      this.groupId = groupId;
      return this;
    }

    /** A directory of plugin folders or archives (Connect's plugin.path). */
    public Builder pluginPath(Path pluginPath) {
      props.put("plugin.path", pluginPath.toString());
      return this;
    }

    public Builder property(String key, String value) {
      props.put(key, value);
      return this;
    }

    public ConnectTestWorker start() {
      int port = freePort();
      Map<String, String> config = new HashMap<>(props);
      config.put("group.id", groupId);
      config.putIfAbsent("config.storage.topic", groupId + "-configs");
      config.putIfAbsent("offset.storage.topic", groupId + "-offsets");
      config.putIfAbsent("status.storage.topic", groupId + "-status");
      config.put("listeners", "http://127.0.0.1:" + port);
      Connect<?> connect = new ConnectDistributed().startConnect(config);
      ConnectTestWorker worker = new ConnectTestWorker(connect, URI.create("http://127.0.0.1:" + port));
      worker.rest().awaitReady(Duration.ofSeconds(120));
      return worker;
    }
  }

  public URI restUri() {
    return restUri;
  }

  public ConnectRest rest() {
    return rest;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      connect.stop();
      connect.awaitStop();
    }
  }

  /** A small client for Connect's REST API: JSON in, JSON out, status codes preserved. */
  public static final class ConnectRest {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ConnectRest(URI base) {
      this.base = base;
    }

    public record Response(int status, String body) {
      public boolean ok() {
        return status >= 200 && status < 300;
      }
    }

    public Response get(String path) {
      return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public Response put(String path, String json) {
      return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
          .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response post(String path, String json) {
      return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response delete(String path) {
      return send(HttpRequest.newBuilder(base.resolve(path)).DELETE());
    }

    private Response send(HttpRequest.Builder request) {
      try {
        HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body());
      } catch (IOException e) {
        throw new UncheckedIOException("Connect REST call to " + base + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    void awaitReady(Duration timeout) {
      long until = System.nanoTime() + timeout.toNanos();
      while (true) {
        try {
          if (get("/connectors").ok()) {
            return;
          }
        } catch (UncheckedIOException notYet) {
          // the REST server binds before the herder has joined the group
        }
        if (System.nanoTime() > until) {
          throw new IllegalStateException("Connect worker at " + base + " not ready within " + timeout);
        }
        try {
          Thread.sleep(200);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
  }
}
