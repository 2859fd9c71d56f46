package io.meshlake.query;

/**
 * Where the HTTP endpoint listens and how much it takes in.
 *
 * @param host interface to bind; 127.0.0.1 by default, since the endpoint does not authenticate
 * @param port TCP port; 0 picks a free one
 * @param threads request threads (queries beyond {@code maxConcurrentQueries} wait inside LakeQuery)
 * @param maxBodyBytes largest request body accepted
 * @param query what is queried and the limits
 */
public record ServerConfig(String host, int port, int threads, int maxBodyBytes, LakeQueryConfig query) {

  public static final int DEFAULT_PORT = 8087;

  public ServerConfig {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host is required, e.g. 127.0.0.1");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
    }
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException("threads must be between 1 and 256, got " + threads);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1024, got " + maxBodyBytes);
    }
    if (query == null) {
      throw new IllegalArgumentException("query configuration is required");
    }
  }

  /** Defaults: 127.0.0.1:8087, 4 threads, 1 MiB bodies. */
  public static ServerConfig of(LakeQueryConfig query) {
    return new ServerConfig("127.0.0.1", DEFAULT_PORT, 4, 1 << 20, query);
  }

  public ServerConfig withPort(int value) {
    return new ServerConfig(host, value, threads, maxBodyBytes, query);
  }

  public ServerConfig withHost(String value) {
    return new ServerConfig(value, port, threads, maxBodyBytes, query);
  }

  public ServerConfig withMaxBodyBytes(int value) {
    return new ServerConfig(host, port, threads, value, query);
  }
}
