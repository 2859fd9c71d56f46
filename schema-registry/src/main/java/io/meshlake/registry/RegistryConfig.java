package io.meshlake.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The registry's settings. Built in code ({@link #builder()}) when embedded, or read from a
 * properties file overridden by {@code MESHLAKE_REGISTRY_*} environment variables
 * ({@link #fromProperties}) when deployed. Validated once, here, with messages naming the setting.
 */
public final class RegistryConfig {

  public static final String ENV_PREFIX = "MESHLAKE_REGISTRY_";

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String LISTEN_HOST = "listen.host";
  public static final String LISTEN_PORT = "listen.port";
  public static final String TOPIC = "topic";
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  public static final String DEFAULT_COMPATIBILITY = "default.compatibility";
  public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";
  public static final String WRITE_TIMEOUT_MS = "write.timeout.ms";
  public static final String HTTP_THREADS = "http.threads";
  /** Prefix of settings passed to the Kafka clients as they are (security, SASL, TLS...). */
  public static final String KAFKA_PREFIX = "kafka.";

  private static final Set<String> KEYS = Set.of(
      BOOTSTRAP_SERVERS, LISTEN_HOST, LISTEN_PORT, TOPIC, TOPIC_REPLICATION_FACTOR, DEFAULT_COMPATIBILITY,
      STARTUP_TIMEOUT_MS, WRITE_TIMEOUT_MS, HTTP_THREADS);

  private final String bootstrapServers;
  private final String listenHost;
  private final int listenPort;
  private final String topic;
  private final Short topicReplicationFactor;
  private final CompatibilityLevel defaultCompatibility;
  private final Duration startupTimeout;
  private final Duration writeTimeout;
  private final int httpThreads;
  private final Map<String, String> kafkaProperties;

  private RegistryConfig(Builder b) {
    this.bootstrapServers = b.bootstrapServers;
    this.listenHost = b.listenHost;
    this.listenPort = b.listenPort;
    this.topic = b.topic;
    this.topicReplicationFactor = b.topicReplicationFactor;
    this.defaultCompatibility = b.defaultCompatibility;
    this.startupTimeout = b.startupTimeout;
    this.writeTimeout = b.writeTimeout;
    this.httpThreads = b.httpThreads;
    this.kafkaProperties = Map.copyOf(b.kafkaProperties);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Kafka bootstrap servers of the cluster holding the topic, e.g. {@code localhost:9092}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Interface to listen on; default {@code 0.0.0.0}. */
  public String listenHost() {
    return listenHost;
  }

  /** Port to listen on; default 8081; 0 picks a free port (see {@link SchemaRegistryServer#url()}). */
  public int listenPort() {
    return listenPort;
  }

  /** The compacted topic holding the registry's state; default {@code _schemas}. */
  public String topic() {
    return topic;
  }

  /** Replication factor used if the registry creates the topic; null: the broker's default. */
  public Short topicReplicationFactor() {
    return topicReplicationFactor;
  }

  /** The level used while no global level has been PUT; default BACKWARD. */
  public CompatibilityLevel defaultCompatibility() {
    return defaultCompatibility;
  }

  /** How long start may take to reach Kafka and read the topic to its end; default 60 s. */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /** How long one write (register, delete, config) may take; default 30 s. */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** Threads serving HTTP requests; default 8. */
  public int httpThreads() {
    return httpThreads;
  }

  /** Extra Kafka client settings ({@code kafka.security.protocol=SSL} → {@code security.protocol=SSL}). */
  public Map<String, String> kafkaProperties() {
    return kafkaProperties;
  }

  /**
   * Reads the settings of a properties file, each overridable by an environment variable named
   * {@code MESHLAKE_REGISTRY_} + the key in upper case with dots as underscores (for example
   * {@code MESHLAKE_REGISTRY_BOOTSTRAP_SERVERS}, {@code MESHLAKE_REGISTRY_KAFKA_SECURITY_PROTOCOL}).
   *
   * @throws RegistryConfigException listing every unknown or invalid setting
   */
  public static RegistryConfig fromProperties(Properties properties, Map<String, String> environment) {
    Map<String, String> values = new TreeMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String key : properties.stringPropertyNames()) {
      if (!KEYS.contains(key) && !key.startsWith(KAFKA_PREFIX)) {
        problems.add("unknown setting '" + key + "' in the properties file; known settings are "
            + KEYS.stream().sorted().toList() + " and kafka.* for Kafka client settings");
        continue;
      }
      values.put(key, properties.getProperty(key).trim());
      origin.put(key, "'" + key + "' in the properties file");
    }
    environment.forEach((name, value) -> {
      if (!name.startsWith(ENV_PREFIX)) {
        return;
      }
      String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
      if (!isKnown(key)) {
        return; // may belong to something else (a client's MESHLAKE_REGISTRY_URL); see unknownEnvironment
      }
      values.put(key, value.trim());
      origin.put(key, "environment variable " + name);
    });

    Builder builder = builder();
    builder.bootstrapServers(values.get(BOOTSTRAP_SERVERS));
    if (values.containsKey(LISTEN_HOST)) {
      builder.listenHost(values.get(LISTEN_HOST));
    }
    if (values.containsKey(TOPIC)) {
      builder.topic(values.get(TOPIC));
    }
    Integer port = integer(values, origin, LISTEN_PORT, problems);
    if (port != null) {
      builder.listenPort(port);
    }
    Integer replication = integer(values, origin, TOPIC_REPLICATION_FACTOR, problems);
    if (replication != null) {
      if (replication < 1 || replication > Short.MAX_VALUE) {
        problems.add(origin.get(TOPIC_REPLICATION_FACTOR) + " is " + replication
            + ": use a replication factor of at least 1 (3 in production), or leave it unset for the broker's default");
      } else {
        builder.topicReplicationFactor(replication.shortValue());
      }
    }
    if (values.containsKey(DEFAULT_COMPATIBILITY)) {
      try {
        builder.defaultCompatibility(CompatibilityLevel.parse(values.get(DEFAULT_COMPATIBILITY)));
      } catch (RegistryException e) {
        problems.add(origin.get(DEFAULT_COMPATIBILITY) + " is '" + values.get(DEFAULT_COMPATIBILITY)
            + "': use one of " + List.of(CompatibilityLevel.values()));
      }
    }
    Integer startup = integer(values, origin, STARTUP_TIMEOUT_MS, problems);
    if (startup != null) {
      builder.startupTimeout(Duration.ofMillis(startup));
    }
    Integer write = integer(values, origin, WRITE_TIMEOUT_MS, problems);
    if (write != null) {
      builder.writeTimeout(Duration.ofMillis(write));
    }
    Integer threads = integer(values, origin, HTTP_THREADS, problems);
    if (threads != null) {
      builder.httpThreads(threads);
    }
    values.forEach((key, value) -> {
      if (key.startsWith(KAFKA_PREFIX)) {
        builder.kafkaProperty(key.substring(KAFKA_PREFIX.length()), value);
      }
    });
    problems.addAll(builder.problems());
    if (!problems.isEmpty()) {
      throw new RegistryConfigException(problems);
    }
    return builder.build();
  }

  /**
   * The {@code MESHLAKE_REGISTRY_*} variables that name no setting, for a warning: they are ignored,
   * since other programs may share the prefix.
   */
  public static List<String> unknownEnvironment(Map<String, String> environment) {
    return environment.keySet().stream()
        .filter(name -> name.startsWith(ENV_PREFIX))
        .filter(name -> !isKnown(name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.')))
        .sorted()
        .toList();
  }

  private static boolean isKnown(String key) {
    return KEYS.contains(key) || key.startsWith(KAFKA_PREFIX);
  }

  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static Integer integer(Map<String, String> values, Map<String, String> origin, String key, List<String> problems) {
    String value = values.get(key);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      problems.add(origin.get(key) + " is '" + value + "', which is not a whole number");
      return null;
    }
  }

  @Override
  public String toString() {
    return "RegistryConfig{bootstrap.servers=" + bootstrapServers + ", listen=" + listenHost + ":" + listenPort
        + ", topic=" + topic + ", default.compatibility=" + defaultCompatibility + "}";
  }

  /** Collects settings; {@link #build()} validates them all at once. */
  public static final class Builder {
    private String bootstrapServers;
    private String listenHost = "0.0.0.0";
    private int listenPort = 8081;
    private String topic = "_schemas";
    private Short topicReplicationFactor;
    private CompatibilityLevel defaultCompatibility = CompatibilityLevel.BACKWARD;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private Duration writeTimeout = Duration.ofSeconds(30);
    private int httpThreads = 8;
    private final Map<String, String> kafkaProperties = new TreeMap<>();

    private Builder() {}

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder listenHost(String listenHost) {
      this.listenHost = listenHost;
      return this;
    }

    public Builder listenPort(int listenPort) {
      this.listenPort = listenPort;
      return this;
    }

    public Builder topic(String topic) {
      this.topic = topic;
      return this;
    }

    public Builder topicReplicationFactor(short replicationFactor) {
      this.topicReplicationFactor = replicationFactor;
      return this;
    }

    public Builder defaultCompatibility(CompatibilityLevel level) {
      this.defaultCompatibility = Objects.requireNonNull(level, "level");
      return this;
    }

    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = timeout;
      return this;
    }

    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = timeout;
      return this;
    }

    public Builder httpThreads(int threads) {
      this.httpThreads = threads;
      return this;
    }

    /** A Kafka client setting, e.g. {@code security.protocol}. */
    public Builder kafkaProperty(String key, String value) {
      kafkaProperties.put(key, value);
      return this;
    }

    List<String> problems() {
      List<String> problems = new ArrayList<>();
      if (bootstrapServers == null || bootstrapServers.isBlank()) {
        problems.add(BOOTSTRAP_SERVERS + " is not set: set it in the properties file or the environment variable "
            + envName(BOOTSTRAP_SERVERS) + " to the Kafka cluster's bootstrap servers, e.g. localhost:9092");
      } else {
        for (String server : bootstrapServers.split(",")) {
          String s = server.trim();
          int colon = s.lastIndexOf(':');
          if (colon <= 0 || colon == s.length() - 1 || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            problems.add(BOOTSTRAP_SERVERS + " entry '" + s + "' is not host:port, e.g. localhost:9092");
          }
        }
      }
      if (listenPort < 0 || listenPort > 65535) {
        problems.add(LISTEN_PORT + " is " + listenPort + ": use a port between 1 and 65535, or 0 for any free port");
      }
      if (listenHost == null || listenHost.isBlank()) {
        problems.add(LISTEN_HOST + " is empty: use 0.0.0.0 for every interface or 127.0.0.1 for this machine only");
      }
      if (topic == null || topic.isBlank() || !topic.matches("[a-zA-Z0-9._-]{1,249}")) {
        problems.add(TOPIC + " '" + topic + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-';"
            + " at most 249 characters); the default is _schemas");
      }
      if (startupTimeout == null || startupTimeout.isNegative() || startupTimeout.isZero()) {
        problems.add(STARTUP_TIMEOUT_MS + " must be positive, e.g. 60000");
      }
      if (writeTimeout == null || writeTimeout.isNegative() || writeTimeout.isZero()) {
        problems.add(WRITE_TIMEOUT_MS + " must be positive, e.g. 30000");
      }
      if (httpThreads < 1) {
        problems.add(HTTP_THREADS + " is " + httpThreads + ": use at least 1 (default 8)");
      }
      for (String key : List.of("bootstrap.servers", "key.serializer", "value.serializer", "key.deserializer",
          "value.deserializer", "enable.idempotence", "acks", "group.id", "enable.auto.commit", "isolation.level")) {
        if (kafkaProperties.containsKey(key)) {
          problems.add(KAFKA_PREFIX + key + " cannot be overridden: the registry sets it itself"
              + (key.equals("bootstrap.servers") ? "; use " + BOOTSTRAP_SERVERS : ""));
        }
      }
      return problems;
    }

    /** @throws RegistryConfigException listing every invalid setting */
    public RegistryConfig build() {
      List<String> problems = problems();
      if (!problems.isEmpty()) {
        throw new RegistryConfigException(problems);
      }
      return new RegistryConfig(this);
    }
  }
}
