package io.meshlake.streams;

import io.meshlake.contracts.manifest.EntityCatalog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The settings of the LWW/fan-out application, validated once, here, with messages that name the
 * setting and the fix. Built from a map when embedded ({@link #of}) or from a properties file whose
 * settings environment variables override ({@link #fromProperties}): {@code MESHLAKE_STREAMS_} + the key
 * in upper case with dots as underscores, e.g. {@code MESHLAKE_STREAMS_BOOTSTRAP_SERVERS}.
 */
public final class StreamsTopologyConfig {

  public static final String ENV_PREFIX = "MESHLAKE_STREAMS_";

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String APPLICATION_ID = "application.id";
  public static final String INPUT_DOMAINS = "input.domains";
  public static final String STATE_DIR = "state.dir";
  public static final String NUM_STREAM_THREADS = "num.stream.threads";
  public static final String NUM_STANDBY_REPLICAS = "num.standby.replicas";
  public static final String TOMBSTONE_RETENTION_MS = "tombstone.retention.ms";
  public static final String TOMBSTONE_PURGE_INTERVAL_MS = "tombstone.purge.interval.ms";
  public static final String MODEL_TOPIC_PARTITIONS = "model.topic.partitions";
  public static final String DLQ_TOPIC_PARTITIONS = "dlq.topic.partitions";
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  public static final String REGISTRY_RETRY_TIMEOUT_MS = "registry.retry.timeout.ms";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";
  /** Prefix of settings passed to Kafka Streams and its clients as they are ({@code streams.replication.factor=3}). */
  public static final String STREAMS_PREFIX = "streams.";

  public static final String DEFAULT_APPLICATION_ID = "meshlake-streams";
  public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(30);
  public static final Duration DEFAULT_TOMBSTONE_PURGE_INTERVAL = Duration.ofHours(1);
  public static final Duration DEFAULT_REGISTRY_RETRY_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(60);
  public static final int DEFAULT_HTTP_PORT = 8080;
  private static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

  private static final Set<String> KEYS = Set.of(BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL, APPLICATION_ID, INPUT_DOMAINS, STATE_DIR,
      NUM_STREAM_THREADS, NUM_STANDBY_REPLICAS, TOMBSTONE_RETENTION_MS, TOMBSTONE_PURGE_INTERVAL_MS, MODEL_TOPIC_PARTITIONS,
      DLQ_TOPIC_PARTITIONS, TOPIC_REPLICATION_FACTOR, REGISTRY_RETRY_TIMEOUT_MS, HTTP_HOST, HTTP_PORT, STARTUP_TIMEOUT_MS);

  /** Kafka Streams settings this application owns, and what to set instead. */
  private static final Map<String, String> OWNED_STREAMS_SETTINGS = Map.of(
      "application.id", "set " + APPLICATION_ID,
      "bootstrap.servers", "set " + BOOTSTRAP_SERVERS,
      "processing.guarantee", "it is always exactly_once_v2",
      "num.stream.threads", "set " + NUM_STREAM_THREADS,
      "num.standby.replicas", "set " + NUM_STANDBY_REPLICAS,
      "state.dir", "set " + STATE_DIR,
      "default.key.serde", "every node of the topology has its own serdes",
      "default.value.serde", "every node of the topology has its own serdes");

  private final EntityCatalog catalog;
  private final String bootstrapServers;
  private final String schemaRegistryUrl;
  private final String applicationId;
  private final List<String> inputDomains;
  private final Path stateDir;
  private final int numStreamThreads;
  private final int numStandbyReplicas;
  private final Duration tombstoneRetention;
  private final Duration tombstonePurgeInterval;
  private final Integer modelTopicPartitions;
  private final Integer dlqTopicPartitions;
  private final Short topicReplicationFactor;
  private final Duration registryRetryTimeout;
  private final String httpHost;
  private final int httpPort;
  private final Duration startupTimeout;
  private final Map<String, String> streamsOverrides;
  private final List<String> warnings;

  private StreamsTopologyConfig(Parser p, EntityCatalog catalog, List<String> warnings) {
    this.catalog = catalog;
    this.bootstrapServers = p.required(BOOTSTRAP_SERVERS, "the Kafka cluster's bootstrap servers, e.g. localhost:9092");
    this.schemaRegistryUrl = p.required(SCHEMA_REGISTRY_URL, "the schema registry's base URL, e.g. http://localhost:8081");
    this.applicationId = p.text(APPLICATION_ID, DEFAULT_APPLICATION_ID);
    this.inputDomains = p.domains(catalog);
    this.stateDir = p.optional(STATE_DIR, Path::of);
    this.numStreamThreads = p.integer(NUM_STREAM_THREADS, 1, 1, 64);
    this.numStandbyReplicas = p.integer(NUM_STANDBY_REPLICAS, 0, 0, 16);
    this.tombstoneRetention = p.millis(TOMBSTONE_RETENTION_MS, DEFAULT_TOMBSTONE_RETENTION, 1);
    this.tombstonePurgeInterval = p.millis(TOMBSTONE_PURGE_INTERVAL_MS, DEFAULT_TOMBSTONE_PURGE_INTERVAL, 1);
    this.modelTopicPartitions = p.optionalInteger(MODEL_TOPIC_PARTITIONS, 1, 10_000);
    this.dlqTopicPartitions = p.optionalInteger(DLQ_TOPIC_PARTITIONS, 1, 10_000);
    Integer replication = p.optionalInteger(TOPIC_REPLICATION_FACTOR, 1, Short.MAX_VALUE);
    this.topicReplicationFactor = replication == null ? null : replication.shortValue();
    this.registryRetryTimeout = p.millis(REGISTRY_RETRY_TIMEOUT_MS, DEFAULT_REGISTRY_RETRY_TIMEOUT, 0);
    this.httpHost = p.text(HTTP_HOST, "0.0.0.0");
    this.httpPort = p.integer(HTTP_PORT, DEFAULT_HTTP_PORT, 0, 65535);
    this.startupTimeout = p.millis(STARTUP_TIMEOUT_MS, DEFAULT_STARTUP_TIMEOUT, 1);
    this.streamsOverrides = p.streamsOverrides();
    p.checkBootstrapServers(bootstrapServers);
    p.checkRegistryUrl(schemaRegistryUrl);
    p.checkApplicationId(applicationId);
    p.checkRetryBelowPollInterval(registryRetryTimeout, streamsOverrides);
    if (!p.problems.isEmpty()) {
      throw new StreamsConfigException(p.problems);
    }
    this.warnings = List.copyOf(warnings);
  }

  /** Settings given in code (embedding); keys as in the properties file. Validates against the released catalog. */
  public static StreamsTopologyConfig of(Map<String, String> settings) {
    return of(settings, EntityCatalog.load());
  }

  public static StreamsTopologyConfig of(Map<String, String> settings, EntityCatalog catalog) {
    List<String> problems = new ArrayList<>();
    Map<String, String> origins = new LinkedHashMap<>();
    settings.keySet().forEach(key -> origins.put(key, "'" + key + "'"));
    checkKeys(settings.keySet(), k -> "unknown setting '" + k + "'", problems);
    return new StreamsTopologyConfig(new Parser(settings, origins, problems), catalog, List.of());
  }

  /**
   * Settings of a properties file, each overridden by its environment variable. Unknown keys in the
   * file are errors; unknown {@code MESHLAKE_STREAMS_*} variables are only warnings, because platforms
   * inject variables of that shape (Kubernetes: a Service named meshlake-streams adds MESHLAKE_STREAMS_PORT).
   */
  public static StreamsTopologyConfig fromProperties(Properties properties, Map<String, String> environment) {
    Map<String, String> values = new TreeMap<>();
    Map<String, String> origins = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    checkKeys(properties.stringPropertyNames(), k -> "unknown setting '" + k + "' in the properties file", problems);
    for (String key : properties.stringPropertyNames()) {
      values.put(key, properties.getProperty(key).trim());
      origins.put(key, "'" + key + "' in the properties file");
    }
    environment.forEach((name, value) -> {
      if (!name.startsWith(ENV_PREFIX)) {
        return;
      }
      String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
      if (!KEYS.contains(key) && !key.startsWith(STREAMS_PREFIX)) {
        warnings.add("ignoring environment variable " + name + ": it is not a setting; settings are "
            + KEYS.stream().sorted().map(StreamsTopologyConfig::envName).toList() + " and " + ENV_PREFIX + "STREAMS_*");
        return;
      }
      values.put(key, value.trim());
      origins.put(key, "environment variable " + name);
    });
    return new StreamsTopologyConfig(new Parser(values, origins, problems), EntityCatalog.load(), warnings);
  }

  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static void checkKeys(Set<String> keys, Function<String, String> unknown, List<String> problems) {
    for (String key : keys) {
      if (!KEYS.contains(key) && !key.startsWith(STREAMS_PREFIX)) {
        problems.add(unknown.apply(key) + "; known settings are " + KEYS.stream().sorted().toList()
            + " and streams.* for Kafka Streams settings");
      }
    }
  }

  /** The entity catalog the input domains were checked against. */
  public EntityCatalog catalog() {
    return catalog;
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  /** Kafka Streams application id: consumer group, transactional ids and internal topic prefix. */
  public String applicationId() {
    return applicationId;
  }

  /** Domains whose {@code facsimile.<domain>} topics are read; default every domain of the catalog. */
  public List<String> inputDomains() {
    return inputDomains;
  }

  /** RocksDB state directory; empty for Kafka Streams' default ({@code ${java.io.tmpdir}/kafka-streams}). */
  public Optional<Path> stateDir() {
    return Optional.ofNullable(stateDir);
  }

  public int numStreamThreads() {
    return numStreamThreads;
  }

  public int numStandbyReplicas() {
    return numStandbyReplicas;
  }

  public Duration tombstoneRetention() {
    return tombstoneRetention;
  }

  public Duration tombstonePurgeInterval() {
    return tombstonePurgeInterval;
  }

  /** Partitions of model topics the application creates; empty: the input topic's count. */
  public OptionalInt modelTopicPartitions() {
    return modelTopicPartitions == null ? OptionalInt.empty() : OptionalInt.of(modelTopicPartitions);
  }

  /** Partitions of DLQ topics the application creates; empty: the input topic's count. */
  public OptionalInt dlqTopicPartitions() {
    return dlqTopicPartitions == null ? OptionalInt.empty() : OptionalInt.of(dlqTopicPartitions);
  }

  /** Replication factor of the model and DLQ topics the application creates; empty: the broker's default. */
  public Optional<Short> topicReplicationFactor() {
    return Optional.ofNullable(topicReplicationFactor);
  }

  public Duration registryRetryTimeout() {
    return registryRetryTimeout;
  }

  public String httpHost() {
    return httpHost;
  }

  /** Port of the health and metrics endpoint; 0 picks a free one. */
  public int httpPort() {
    return httpPort;
  }

  /** How long start may take to check and create topics. */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /** {@code streams.*} settings without the prefix, passed to Kafka Streams as they are. */
  public Map<String, String> streamsOverrides() {
    return streamsOverrides;
  }

  /** Environment variables that looked like settings but were ignored. */
  public List<String> warnings() {
    return warnings;
  }

  @Override
  public String toString() {
    return "StreamsTopologyConfig{application.id=" + applicationId + ", bootstrap.servers=" + bootstrapServers
        + ", schema.registry.url=" + schemaRegistryUrl + ", input.domains=" + inputDomains + ", threads=" + numStreamThreads
        + ", standbys=" + numStandbyReplicas + ", tombstone.retention=" + tombstoneRetention + "}";
  }

  /** Reads typed values, collecting every problem instead of stopping at the first. */
  private static final class Parser {
    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final List<String> problems;

    Parser(Map<String, String> values, Map<String, String> origins, List<String> problems) {
      this.values = values;
      this.origins = origins;
      this.problems = problems;
    }

    private String value(String key) {
      String value = values.get(key);
      return value == null || value.isBlank() ? null : value.trim();
    }

    private String origin(String key) {
      return origins.getOrDefault(key, "'" + key + "'");
    }

    String required(String key, String what) {
      String value = value(key);
      if (value == null) {
        problems.add(key + " is not set: set it in the properties file or the environment variable " + envName(key) + " to " + what);
      }
      return value;
    }

    String text(String key, String fallback) {
      String value = value(key);
      return value == null ? fallback : value;
    }

    <T> T optional(String key, Function<String, T> parse) {
      String value = value(key);
      return value == null ? null : parse.apply(value);
    }

    int integer(String key, int fallback, int min, int max) {
      Integer value = optionalInteger(key, min, max);
      return value == null ? fallback : value;
    }

    Integer optionalInteger(String key, int min, int max) {
      String value = value(key);
      if (value == null) {
        return null;
      }
      try {
        int parsed = Integer.parseInt(value);
        if (parsed < min || parsed > max) {
          problems.add(origin(key) + " is " + parsed + ": use a value from " + min + " to " + max);
          return null;
        }
        return parsed;
      } catch (NumberFormatException e) {
        problems.add(origin(key) + " is '" + value + "', which is not a whole number");
        return null;
      }
    }

    Duration millis(String key, Duration fallback, long min) {
      String value = value(key);
      if (value == null) {
        return fallback;
      }
      try {
        long parsed = Long.parseLong(value);
        if (parsed < min) {
          problems.add(origin(key) + " is " + parsed + ": use at least " + min + " ms (default " + fallback.toMillis() + ")");
          return fallback;
        }
        return Duration.ofMillis(parsed);
      } catch (NumberFormatException e) {
        problems.add(origin(key) + " is '" + value + "', which is not a number of milliseconds (default " + fallback.toMillis() + ")");
        return fallback;
      }
    }

    List<String> domains(EntityCatalog catalog) {
      String value = value(INPUT_DOMAINS);
      if (value == null) {
        return catalog.domains();
      }
      List<String> domains = new ArrayList<>();
      for (String part : value.split(",")) {
        String domain = part.trim();
        if (domain.isEmpty()) {
          continue;
        }
        if (!catalog.domains().contains(domain)) {
          problems.add(origin(INPUT_DOMAINS) + " names domain '" + domain + "', which no entity manifest declares; known domains are "
              + catalog.domains() + " (leave the setting out to read them all)");
        } else if (!domains.contains(domain)) {
          domains.add(domain);
        }
      }
      if (domains.isEmpty() && problems.isEmpty()) {
        problems.add(origin(INPUT_DOMAINS) + " names no domain; leave it out to read every domain of the catalog " + catalog.domains());
      }
      return List.copyOf(domains);
    }

    Map<String, String> streamsOverrides() {
      Map<String, String> overrides = new TreeMap<>();
      values.forEach((key, value) -> {
        if (!key.startsWith(STREAMS_PREFIX) || value == null) {
          return;
        }
        String streamsKey = key.substring(STREAMS_PREFIX.length());
        String instead = OWNED_STREAMS_SETTINGS.get(streamsKey);
        if (instead != null) {
          problems.add(origin(key) + " cannot be overridden: " + instead);
        } else {
          overrides.put(streamsKey, value.trim());
        }
      });
      return Map.copyOf(overrides);
    }

    void checkBootstrapServers(String servers) {
      if (servers == null) {
        return;
      }
      for (String server : servers.split(",")) {
        String s = server.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1 || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
          problems.add(origin(BOOTSTRAP_SERVERS) + " entry '" + s + "' is not host:port, e.g. localhost:9092");
        }
      }
    }

    void checkRegistryUrl(String urls) {
      if (urls == null) {
        return;
      }
      for (String url : urls.split(",")) {
        String u = url.trim();
        URI uri;
        try {
          uri = URI.create(u);
        } catch (IllegalArgumentException e) {
          uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
          problems.add(origin(SCHEMA_REGISTRY_URL) + " entry '" + u + "' is not an http(s) URL such as http://localhost:8081");
        }
      }
    }

    void checkApplicationId(String id) {
      if (!id.matches("[a-zA-Z0-9._-]{1,200}")) {
        problems.add(origin(APPLICATION_ID) + " '" + id + "' must be letters, digits, '.', '_' or '-' (it prefixes topic names); default "
            + DEFAULT_APPLICATION_ID);
      }
    }

    void checkRetryBelowPollInterval(Duration retry, Map<String, String> overrides) {
      String configured = overrides.getOrDefault("consumer.max.poll.interval.ms", overrides.get("max.poll.interval.ms"));
      long pollInterval = DEFAULT_MAX_POLL_INTERVAL_MS;
      try {
        if (configured != null) {
          pollInterval = Long.parseLong(configured);
        }
      } catch (NumberFormatException e) {
        return; // Kafka Streams reports the malformed value itself.
      }
      if (retry.toMillis() >= pollInterval) {
        problems.add(origin(REGISTRY_RETRY_TIMEOUT_MS) + " is " + retry.toMillis() + " ms, not below max.poll.interval.ms ("
            + pollInterval + " ms): a thread waiting that long for the registry is evicted from the group; lower it (default "
            + DEFAULT_REGISTRY_RETRY_TIMEOUT.toMillis() + ")");
      }
    }
  }
}
