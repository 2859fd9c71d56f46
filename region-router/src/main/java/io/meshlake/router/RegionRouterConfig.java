package io.meshlake.router;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The router's settings. Built in code ({@link #builder()}) when embedded, or read from a properties
 * file overridden by {@code MESHLAKE_ROUTER_*} environment variables ({@link #fromProperties}) when
 * deployed. Regions are configuration: {@code regions=eu,us} plus {@code region.<name>.bootstrap.servers}
 * per region, so a new region is a configuration change. Validated once, here, with messages naming
 * the setting.
 */
public final class RegionRouterConfig {

  public static final String ENV_PREFIX = "MESHLAKE_ROUTER_";

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String APPLICATION_ID = "application.id";
  public static final String STATE_DIR = "state.dir";
  public static final String SOURCE_TOPICS = "source.topics";
  public static final String SOURCE_PATTERN = "source.pattern";
  public static final String REGIONS = "regions";
  public static final String DEFAULT_REGION = "default.region";
  public static final String RESIDENCY_TOPIC = "residency.topic";
  public static final String RESIDENCY_CHANGES_TOPIC = "residency.changes.topic";
  public static final String HELD_RELEASE_INTERVAL_MS = "held.release.interval.ms";
  public static final String TOPICS_REFRESH_INTERVAL_MS = "topics.refresh.interval.ms";
  public static final String TOPIC_REPLICATION_FACTOR = "topic.replication.factor";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";
  /** {@code region.<name>.bootstrap.servers} and {@code region.<name>.<Kafka client setting>}. */
  public static final String REGION_PREFIX = "region.";
  /** Kafka client settings for every client of the ingress cluster (Streams, admin, MM2's source side). */
  public static final String INGRESS_PREFIX = "ingress.";
  /** Kafka Streams settings, e.g. {@code streams.num.stream.threads=2}. */
  public static final String STREAMS_PREFIX = "streams.";
  /** MirrorSourceConnector settings merged into every generated connector config, e.g. {@code mirror.tasks.max=4}. */
  public static final String MIRROR_PREFIX = "mirror.";

  public static final String DEFAULT_APPLICATION_ID = "meshlake-region-router";
  public static final String DEFAULT_SOURCE_PATTERN = "facsimile\\..+";
  public static final String DEFAULT_RESIDENCY_TOPIC = "control.workspace-residency";
  public static final String DEFAULT_RESIDENCY_CHANGES_TOPIC = "control.residency-changes";

  private static final List<String> KEYS = List.of(BOOTSTRAP_SERVERS, APPLICATION_ID, STATE_DIR, SOURCE_TOPICS,
      SOURCE_PATTERN, REGIONS, DEFAULT_REGION, RESIDENCY_TOPIC, RESIDENCY_CHANGES_TOPIC, HELD_RELEASE_INTERVAL_MS,
      TOPICS_REFRESH_INTERVAL_MS, TOPIC_REPLICATION_FACTOR, HTTP_HOST, HTTP_PORT, STARTUP_TIMEOUT_MS);
  private static final List<String> PASS_THROUGH = List.of(INGRESS_PREFIX, STREAMS_PREFIX, MIRROR_PREFIX);
  private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
  private static final String MM2_SOURCE_ALIAS = "ingress";

  /** Streams settings the router decides itself. */
  private static final Map<String, String> FIXED_STREAMS = Map.of(
      "processing.guarantee", "the router always runs exactly_once_v2: a routed event is written once or not at all",
      "application.id", "use " + APPLICATION_ID,
      "bootstrap.servers", "use " + BOOTSTRAP_SERVERS,
      "state.dir", "use " + STATE_DIR,
      "default.key.serde", "the router reads and writes bytes",
      "default.value.serde", "the router reads and writes bytes");
  /** Connector settings MirrorConnectorConfigs derives from the region; overriding them breaks residency or exactly-once. */
  static final Set<String> FIXED_MIRROR = Set.of("connector.class", "name", "topics", "topics.exclude",
      "replication.policy.class", "source.cluster.alias", "target.cluster.alias", "source.cluster.bootstrap.servers",
      "target.cluster.bootstrap.servers", "source.consumer.isolation.level", "consumer.isolation.level",
      "exactly.once.support", "key.converter", "value.converter", "header.converter");

  private final String bootstrapServers;
  private final String applicationId;
  private final Path stateDir;
  private final List<String> sourceTopics;
  private final Pattern sourcePattern;
  private final Map<String, Map<String, String>> regions;
  private final String defaultRegion;
  private final String residencyTopic;
  private final String residencyChangesTopic;
  private final Duration heldReleaseInterval;
  private final Duration topicsRefreshInterval;
  private final Short topicReplicationFactor;
  private final String httpHost;
  private final int httpPort;
  private final Duration startupTimeout;
  private final Map<String, String> ingressProperties;
  private final Map<String, String> streamsProperties;
  private final Map<String, String> mirrorProperties;

  private RegionRouterConfig(Builder b) {
    this.bootstrapServers = b.bootstrapServers;
    this.applicationId = b.applicationId;
    this.stateDir = b.stateDir;
    this.sourceTopics = List.copyOf(b.sourceTopics);
    this.sourcePattern = b.sourceTopics.isEmpty() ? Pattern.compile(b.sourcePattern) : null;
    Map<String, Map<String, String>> regionCopy = new LinkedHashMap<>();
    b.regions.forEach((name, props) -> regionCopy.put(name, Collections.unmodifiableMap(new TreeMap<>(props))));
    this.regions = Collections.unmodifiableMap(regionCopy);
    this.defaultRegion = b.defaultRegion;
    this.residencyTopic = b.residencyTopic;
    this.residencyChangesTopic = b.residencyChangesTopic;
    this.heldReleaseInterval = b.heldReleaseInterval;
    this.topicsRefreshInterval = b.topicsRefreshInterval;
    this.topicReplicationFactor = b.topicReplicationFactor;
    this.httpHost = b.httpHost;
    this.httpPort = b.httpPort;
    this.startupTimeout = b.startupTimeout;
    this.ingressProperties = Map.copyOf(b.ingressProperties);
    this.streamsProperties = Map.copyOf(b.streamsProperties);
    this.mirrorProperties = Map.copyOf(b.mirrorProperties);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Bootstrap servers of the ingress cluster, where the router reads and writes. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Kafka Streams application id (consumer group, transactional ids, internal topic prefix). */
  public String applicationId() {
    return applicationId;
  }

  /** Where the held-events and residency stores live. */
  public Path stateDir() {
    return stateDir;
  }

  /** The configured ingress topics; empty when {@link #sourcePattern()} selects them. */
  public List<String> sourceTopics() {
    return sourceTopics;
  }

  /** The pattern selecting ingress topics, or null when {@link #sourceTopics()} lists them. */
  public Pattern sourcePattern() {
    return sourcePattern;
  }

  /** Region names, in configuration order. */
  public List<String> regions() {
    return List.copyOf(regions.keySet());
  }

  public String regionBootstrapServers(String region) {
    return regionSettings(region).get(BOOTSTRAP_SERVERS);
  }

  /** The region's Kafka client settings, bootstrap.servers included. */
  public Map<String, String> regionSettings(String region) {
    Map<String, String> settings = regions.get(region);
    if (settings == null) {
      throw new IllegalArgumentException("unknown region '" + region + "'; configured regions are " + regions());
    }
    return settings;
  }

  /** Where workspaces without a residency go; null when their events are held. */
  public String defaultRegion() {
    return defaultRegion;
  }

  public String residencyTopic() {
    return residencyTopic;
  }

  public String residencyChangesTopic() {
    return residencyChangesTopic;
  }

  /** How often held events of newly assigned workspaces are released. */
  public Duration heldReleaseInterval() {
    return heldReleaseInterval;
  }

  /** How often topics matching {@link #sourcePattern()} get their region and DLQ topics created. */
  public Duration topicsRefreshInterval() {
    return topicsRefreshInterval;
  }

  /** Replication factor of the topics the router creates; null: the broker's default. */
  public Short topicReplicationFactor() {
    return topicReplicationFactor;
  }

  public String httpHost() {
    return httpHost;
  }

  /** Port of the health and metrics endpoint; 0 picks a free port. */
  public int httpPort() {
    return httpPort;
  }

  /** How long the start may take to reach Kafka and prepare the topics. */
  public Duration startupTimeout() {
    return startupTimeout;
  }

  /** Kafka client settings for the ingress cluster ({@code ingress.security.protocol} → {@code security.protocol}). */
  public Map<String, String> ingressProperties() {
    return ingressProperties;
  }

  /** Kafka Streams settings ({@code streams.num.stream.threads} → {@code num.stream.threads}). */
  public Map<String, String> streamsProperties() {
    return streamsProperties;
  }

  /** Connector settings merged into every generated MirrorSourceConnector config. */
  public Map<String, String> mirrorProperties() {
    return mirrorProperties;
  }

  /** The ingress cluster's client settings, bootstrap servers included. */
  public Map<String, Object> ingressClientConfig() {
    Map<String, Object> config = new TreeMap<>(ingressProperties);
    config.put(BOOTSTRAP_SERVERS, bootstrapServers);
    return config;
  }

  /**
   * Reads the settings of a properties file, each overridable by an environment variable named
   * {@code MESHLAKE_ROUTER_} + the key in upper case with '.' and '-' as '_' (for example
   * {@code MESHLAKE_ROUTER_BOOTSTRAP_SERVERS}, {@code MESHLAKE_ROUTER_REGION_EU_BOOTSTRAP_SERVERS},
   * {@code MESHLAKE_ROUTER_INGRESS_SECURITY_PROTOCOL}).
   *
   * @throws RegionRouterConfigException listing every unknown or invalid setting
   */
  public static RegionRouterConfig fromProperties(Properties properties, Map<String, String> environment) {
    Map<String, String> values = new TreeMap<>();
    Map<String, String> origin = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    for (String key : properties.stringPropertyNames()) {
      if (!KEYS.contains(key) && !key.startsWith(REGION_PREFIX) && PASS_THROUGH.stream().noneMatch(key::startsWith)) {
        problems.add("unknown setting '" + key + "' in the properties file; known settings are " + KEYS
            + ", region.<name>.*, ingress.*, streams.* and mirror.*");
        continue;
      }
      values.put(key, properties.getProperty(key).trim());
      origin.put(key, "'" + key + "' in the properties file");
    }
    applyEnvironment(environment, values, origin);

    Builder builder = builder();
    builder.origins.putAll(origin);
    set(values, BOOTSTRAP_SERVERS, builder::bootstrapServers);
    set(values, APPLICATION_ID, builder::applicationId);
    set(values, STATE_DIR, v -> builder.stateDir(Path.of(v)));
    set(values, SOURCE_TOPICS, v -> builder.sourceTopics(csv(v)));
    set(values, SOURCE_PATTERN, builder::sourcePattern);
    set(values, DEFAULT_REGION, v -> builder.defaultRegion(v.isEmpty() ? null : v));
    set(values, RESIDENCY_TOPIC, builder::residencyTopic);
    set(values, RESIDENCY_CHANGES_TOPIC, builder::residencyChangesTopic);
    set(values, HTTP_HOST, builder::httpHost);
    Long held = number(values, origin, HELD_RELEASE_INTERVAL_MS, problems);
    if (held != null) {
      builder.heldReleaseInterval(Duration.ofMillis(held));
    }
    Long refresh = number(values, origin, TOPICS_REFRESH_INTERVAL_MS, problems);
    if (refresh != null) {
      builder.topicsRefreshInterval(Duration.ofMillis(refresh));
    }
    Long startup = number(values, origin, STARTUP_TIMEOUT_MS, problems);
    if (startup != null) {
      builder.startupTimeout(Duration.ofMillis(startup));
    }
    Long port = number(values, origin, HTTP_PORT, problems);
    if (port != null) {
      builder.httpPort(port > Integer.MAX_VALUE ? -1 : port.intValue());
    }
    Long replication = number(values, origin, TOPIC_REPLICATION_FACTOR, problems);
    if (replication != null) {
      if (replication < 1 || replication > Short.MAX_VALUE) {
        problems.add(origin.get(TOPIC_REPLICATION_FACTOR) + " is " + replication
            + ": use a replication factor of at least 1 (3 in production), or leave it unset for the broker's default");
      } else {
        builder.topicReplicationFactor(replication.shortValue());
      }
    }
    List<String> regionNames = csv(values.getOrDefault(REGIONS, ""));
    for (String region : regionNames) {
      builder.region(region);
    }
    values.forEach((key, value) -> {
      if (key.startsWith(INGRESS_PREFIX)) {
        builder.ingressProperty(key.substring(INGRESS_PREFIX.length()), value);
      } else if (key.startsWith(STREAMS_PREFIX)) {
        builder.streamsProperty(key.substring(STREAMS_PREFIX.length()), value);
      } else if (key.startsWith(MIRROR_PREFIX)) {
        builder.mirrorProperty(key.substring(MIRROR_PREFIX.length()), value);
      } else if (key.startsWith(REGION_PREFIX)) {
        String region = regionNames.stream()
            .filter(r -> key.startsWith(REGION_PREFIX + r + "."))
            .max(Comparator.comparingInt(String::length))
            .orElse(null);
        if (region == null) {
          problems.add(origin.get(key) + " belongs to no region: " + REGIONS + " is " + regionNames
              + "; add the region to " + REGIONS + " or remove the setting");
        } else {
          builder.regionProperty(region, key.substring((REGION_PREFIX + region + ".").length()), value);
        }
      }
    });
    problems.addAll(builder.problems());
    if (!problems.isEmpty()) {
      throw new RegionRouterConfigException(problems);
    }
    return builder.build();
  }

  /**
   * Environment variables override the file: a variable is the key upper-cased, '.' and '-' as '_',
   * behind {@code MESHLAKE_ROUTER_}. Fixed keys and keys of the file are matched exactly; pass-through
   * settings (ingress.*, streams.*, mirror.*, region.&lt;name&gt;.*) may also come only from the
   * environment, their '_' read back as '.'.
   */
  private static void applyEnvironment(Map<String, String> environment, Map<String, String> values,
      Map<String, String> origin) {
    // REGIONS first: it decides which region.<name>.* variables mean something.
    String regionsVar = envName(REGIONS);
    if (environment.containsKey(regionsVar)) {
      values.put(REGIONS, environment.get(regionsVar).trim());
      origin.put(REGIONS, "environment variable " + regionsVar);
    }
    for (Map.Entry<String, String> entry : new TreeMap<>(environment).entrySet()) {
      String key = keyOfEnv(entry.getKey(), values.keySet(), csv(values.getOrDefault(REGIONS, "")));
      if (key != null) {
        values.put(key, entry.getValue().trim());
        origin.put(key, "environment variable " + entry.getKey());
      }
    }
  }

  /** The setting an environment variable overrides, or null when it names none. */
  static String keyOfEnv(String name, Set<String> fileKeys, List<String> regions) {
    if (!name.startsWith(ENV_PREFIX)) {
      return null;
    }
    for (String key : KEYS) {
      if (envName(key).equals(name)) {
        return key;
      }
    }
    for (String key : fileKeys) {
      if (envName(key).equals(name)) {
        return key;
      }
    }
    String rest = name.substring(ENV_PREFIX.length());
    for (String prefix : PASS_THROUGH) {
      String envPrefix = prefix.toUpperCase(Locale.ROOT).replace('.', '_');
      if (rest.startsWith(envPrefix) && rest.length() > envPrefix.length()) {
        return prefix + rest.substring(envPrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
      }
    }
    String region = regions.stream()
        .filter(r -> rest.startsWith(envName(REGION_PREFIX + r + ".").substring(ENV_PREFIX.length())))
        .max(Comparator.comparingInt(String::length))
        .orElse(null);
    if (region != null) {
      String setting = rest.substring(envName(REGION_PREFIX + region + ".").length() - ENV_PREFIX.length());
      if (!setting.isEmpty()) {
        return REGION_PREFIX + region + "." + setting.toLowerCase(Locale.ROOT).replace('_', '.');
      }
    }
    return null;
  }

  /** The {@code MESHLAKE_ROUTER_*} variables that name no setting, for a warning. */
  public static List<String> unknownEnvironment(Properties properties, Map<String, String> environment) {
    String regions = environment.getOrDefault(envName(REGIONS), properties.getProperty(REGIONS, ""));
    return environment.keySet().stream()
        .filter(name -> name.startsWith(ENV_PREFIX))
        .filter(name -> keyOfEnv(name, properties.stringPropertyNames(), csv(regions)) == null)
        .sorted()
        .toList();
  }

  static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  private static void set(Map<String, String> values, String key, java.util.function.Consumer<String> setter) {
    String value = values.get(key);
    if (value != null) {
      setter.accept(value);
    }
  }

  private static Long number(Map<String, String> values, Map<String, String> origin, String key, List<String> problems) {
    String value = values.get(key);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      problems.add(origin.get(key) + " is '" + value + "', which is not a whole number");
      return null;
    }
  }

  private static List<String> csv(String value) {
    List<String> items = new ArrayList<>();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        items.add(item.trim());
      }
    }
    return items;
  }

  @Override
  public String toString() {
    return "RegionRouterConfig{bootstrap.servers=" + bootstrapServers + ", application.id=" + applicationId
        + ", sources=" + (sourceTopics.isEmpty() ? "pattern " + sourcePattern : sourceTopics) + ", regions="
        + regions() + ", default.region=" + defaultRegion + ", residency.topic=" + residencyTopic + "}";
  }

  /** Collects settings; {@link #build()} validates them all at once. */
  public static final class Builder {
    private String bootstrapServers;
    private String applicationId = DEFAULT_APPLICATION_ID;
    private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), DEFAULT_APPLICATION_ID);
    private final List<String> sourceTopics = new ArrayList<>();
    private String sourcePattern = DEFAULT_SOURCE_PATTERN;
    private final Map<String, Map<String, String>> regions = new LinkedHashMap<>();
    private String defaultRegion;
    private String residencyTopic = DEFAULT_RESIDENCY_TOPIC;
    private String residencyChangesTopic = DEFAULT_RESIDENCY_CHANGES_TOPIC;
    private Duration heldReleaseInterval = Duration.ofMillis(500);
    private Duration topicsRefreshInterval = Duration.ofSeconds(10);
    private Short topicReplicationFactor;
    private String httpHost = "0.0.0.0";
    private int httpPort = 8080;
    private Duration startupTimeout = Duration.ofSeconds(60);
    private final Map<String, String> ingressProperties = new TreeMap<>();
    private final Map<String, String> streamsProperties = new TreeMap<>();
    private final Map<String, String> mirrorProperties = new TreeMap<>();
    /** Where each setting came from, for messages: "'x' in the properties file" or "environment variable X". */
    private final Map<String, String> origins = new TreeMap<>();

    private Builder() {}

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    public Builder applicationId(String applicationId) {
      this.applicationId = applicationId;
      return this;
    }

    public Builder stateDir(Path stateDir) {
      this.stateDir = stateDir;
      return this;
    }

    /** Ingress topics to route, each {@code facsimile.<domain>}; replaces the source pattern. */
    public Builder sourceTopics(List<String> topics) {
      sourceTopics.clear();
      sourceTopics.addAll(topics);
      return this;
    }

    public Builder sourcePattern(String regex) {
      this.sourcePattern = regex;
      return this;
    }

    /** Adds a region known by name only; its bootstrap servers come with {@link #regionProperty}. */
    public Builder region(String name) {
      regions.computeIfAbsent(name, n -> new TreeMap<>());
      return this;
    }

    public Builder region(String name, String bootstrapServers) {
      return regionProperty(name, BOOTSTRAP_SERVERS, bootstrapServers);
    }

    public Builder regionProperty(String region, String key, String value) {
      regions.computeIfAbsent(region, n -> new TreeMap<>()).put(key, value);
      return this;
    }

    /** Routes workspaces without a residency there instead of holding their events; null: hold. */
    public Builder defaultRegion(String region) {
      this.defaultRegion = region;
      return this;
    }

    public Builder residencyTopic(String topic) {
      this.residencyTopic = topic;
      return this;
    }

    public Builder residencyChangesTopic(String topic) {
      this.residencyChangesTopic = topic;
      return this;
    }

    public Builder heldReleaseInterval(Duration interval) {
      this.heldReleaseInterval = interval;
      return this;
    }

    public Builder topicsRefreshInterval(Duration interval) {
      this.topicsRefreshInterval = interval;
      return this;
    }

    public Builder topicReplicationFactor(short replicationFactor) {
      this.topicReplicationFactor = replicationFactor;
      return this;
    }

    public Builder httpHost(String host) {
      this.httpHost = host;
      return this;
    }

    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = timeout;
      return this;
    }

    public Builder ingressProperty(String key, String value) {
      ingressProperties.put(key, value);
      return this;
    }

    public Builder streamsProperty(String key, String value) {
      streamsProperties.put(key, value);
      return this;
    }

    public Builder mirrorProperty(String key, String value) {
      mirrorProperties.put(key, value);
      return this;
    }

    private String named(String key) {
      String origin = origins.get(key);
      return origin != null ? origin : key;
    }

    List<String> problems() {
      List<String> problems = new ArrayList<>();
      checkServers(problems, bootstrapServers, BOOTSTRAP_SERVERS, "the ingress cluster's bootstrap servers");
      if (applicationId == null || !TOPIC_NAME.matcher(applicationId).matches()) {
        problems.add(named(APPLICATION_ID) + " is '" + applicationId + "': use letters, digits, '.', '_' or '-'"
            + " (default " + DEFAULT_APPLICATION_ID + ")");
      }
      if (stateDir == null) {
        problems.add(STATE_DIR + " is not set: give a directory for the router's state stores");
      }
      checkSources(problems);
      checkRegions(problems);
      checkTopic(problems, RESIDENCY_TOPIC, residencyTopic, DEFAULT_RESIDENCY_TOPIC);
      checkTopic(problems, RESIDENCY_CHANGES_TOPIC, residencyChangesTopic, DEFAULT_RESIDENCY_CHANGES_TOPIC);
      if (residencyTopic != null && residencyTopic.equals(residencyChangesTopic)) {
        problems.add(RESIDENCY_TOPIC + " and " + RESIDENCY_CHANGES_TOPIC + " are both '" + residencyTopic
            + "': the compacted residency table and the change log need their own topics");
      }
      checkPositive(problems, HELD_RELEASE_INTERVAL_MS, heldReleaseInterval, "500");
      checkPositive(problems, TOPICS_REFRESH_INTERVAL_MS, topicsRefreshInterval, "10000");
      checkPositive(problems, STARTUP_TIMEOUT_MS, startupTimeout, "60000");
      if (httpPort < 0 || httpPort > 65535) {
        problems.add(named(HTTP_PORT) + " is " + httpPort + ": use a port between 1 and 65535, or 0 for any free port");
      }
      if (httpHost == null || httpHost.isBlank()) {
        problems.add(named(HTTP_HOST) + " is empty: use 0.0.0.0 for every interface or 127.0.0.1 for this machine only");
      }
      if (ingressProperties.containsKey(BOOTSTRAP_SERVERS)) {
        problems.add(INGRESS_PREFIX + BOOTSTRAP_SERVERS + " cannot be set: use " + BOOTSTRAP_SERVERS);
      }
      FIXED_STREAMS.forEach((key, why) -> {
        if (streamsProperties.containsKey(key)) {
          problems.add(STREAMS_PREFIX + key + " cannot be overridden: " + why);
        }
      });
      for (String key : new TreeMap<>(mirrorProperties).keySet()) {
        if (FIXED_MIRROR.contains(key)) {
          problems.add(MIRROR_PREFIX + key + " cannot be overridden: the router derives it per region"
              + " (see MirrorConnectorConfigs); changing it could carry one region's events to another or break exactly-once");
        }
      }
      return problems;
    }

    private void checkSources(List<String> problems) {
      if (!sourceTopics.isEmpty()) {
        for (String topic : sourceTopics) {
          if (!TopicNames.isFacsimileTopic(topic)) {
            problems.add(named(SOURCE_TOPICS) + " lists '" + topic + "': ingress topics are named facsimile.<domain>,"
                + " e.g. facsimile.jira");
          }
        }
        return;
      }
      Pattern pattern;
      try {
        pattern = Pattern.compile(sourcePattern);
      } catch (PatternSyntaxException | NullPointerException e) {
        problems.add(named(SOURCE_PATTERN) + " is not a regular expression: " + sourcePattern
            + " (default " + DEFAULT_SOURCE_PATTERN + ")");
        return;
      }
      // The router must never read what it writes: that would route region and DLQ topics again.
      for (String own : List.of(TopicNames.regionTopic("eu", "facsimile.jira"), TopicNames.DLQ_PREFIX + "jira",
          residencyTopic, residencyChangesTopic)) {
        if (own != null && pattern.matcher(own).matches()) {
          problems.add(named(SOURCE_PATTERN) + " '" + sourcePattern + "' also matches '" + own
              + "', a topic the router writes or reads for control; match only facsimile.<domain>, e.g. "
              + DEFAULT_SOURCE_PATTERN);
          return;
        }
      }
    }

    private void checkRegions(List<String> problems) {
      if (regions.isEmpty()) {
        problems.add(named(REGIONS) + " is not set: list the region names, e.g. regions=eu,us, and give each"
            + " region.<name>.bootstrap.servers");
      }
      for (Map.Entry<String, Map<String, String>> region : regions.entrySet()) {
        String name = region.getKey();
        if (!TopicNames.REGION_NAME.matcher(name).matches()) {
          problems.add(named(REGIONS) + " names region '" + name + "': region names are lower-case letters,"
              + " digits and '-' ([a-z0-9-]+), as they become topic names and MirrorMaker cluster aliases");
          continue;
        }
        if (name.equals(MM2_SOURCE_ALIAS)) {
          problems.add(named(REGIONS) + " names region 'ingress': that name is the ingress cluster's MirrorMaker alias;"
              + " choose another region name");
        }
        String key = REGION_PREFIX + name + "." + BOOTSTRAP_SERVERS;
        String servers = region.getValue().get(BOOTSTRAP_SERVERS);
        if (servers == null || servers.isBlank()) {
          problems.add(key + " is missing: every region in " + REGIONS + "=" + String.join(",", regions.keySet())
              + " needs the bootstrap servers of its Kafka cluster (set " + key + "=host:9092 or " + envName(key) + ")");
        } else {
          checkServers(problems, servers, key, "region " + name + "'s bootstrap servers");
        }
      }
      if (defaultRegion != null && !regions.containsKey(defaultRegion)) {
        problems.add(named(DEFAULT_REGION) + " is '" + defaultRegion + "', which is not one of " + REGIONS + "="
            + String.join(",", regions.keySet()) + "; name one of them, or leave it unset to hold the events of"
            + " workspaces without a residency");
      }
    }

    private void checkServers(List<String> problems, String servers, String key, String what) {
      if (servers == null || servers.isBlank()) {
        problems.add(key + " is not set: set it in the properties file or the environment variable " + envName(key)
            + " to " + what + ", e.g. localhost:9092");
        return;
      }
      for (String server : servers.split(",")) {
        String s = server.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1 || !s.substring(colon + 1).chars().allMatch(Character::isDigit)) {
          problems.add(named(key) + " entry '" + s + "' is not host:port, e.g. localhost:9092");
        }
      }
    }

    private void checkTopic(List<String> problems, String key, String topic, String defaultTopic) {
      if (topic == null || !TOPIC_NAME.matcher(topic).matches()) {
        problems.add(named(key) + " '" + topic + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-';"
            + " at most 249 characters); the default is " + defaultTopic);
      }
    }

    private void checkPositive(List<String> problems, String key, Duration value, String example) {
      if (value == null || value.isNegative() || value.isZero()) {
        problems.add(named(key) + " must be a positive number of milliseconds, e.g. " + example);
      }
    }

    /** @throws RegionRouterConfigException listing every invalid setting */
    public RegionRouterConfig build() {
      List<String> problems = problems();
      if (!problems.isEmpty()) {
        throw new RegionRouterConfigException(problems);
      }
      return new RegionRouterConfig(this);
    }
  }
}
