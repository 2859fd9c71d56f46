package io.meshlake.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The MirrorMaker 2 deployment that carries each region's events from the ingress cluster to the
 * region: per region, a Connect cluster connected to the region's Kafka ({@link #workerSettings}) runs
 * one {@code MirrorSourceConnector} ({@link #forRegion}) reading {@code region.<region>.facsimile.*}
 * from the ingress cluster and writing {@code facsimile.*} in the region ({@link RegionReplicationPolicy}).
 *
 * <p>Exactly once end to end: the router writes transactionally, the connector reads only committed
 * records ({@code source.consumer.isolation.level=read_committed}; MirrorMaker 2 itself reads
 * uncommitted ones by default) and writes them and its source offsets in one transaction per poll
 * ({@code exactly.once.support=required}, which needs {@code exactly.once.source.support=enabled} on
 * the worker; Connect refuses the connector otherwise). Heartbeats, checkpoints, offset syncs and
 * topic config/ACL syncing are off: regional consumers start on the regional topics, no consumer
 * group moves between clusters, and regional topics keep their own retention.
 */
public final class MirrorConnectorConfigs {

  /** MirrorMaker's alias of the ingress cluster; each region's alias is its name. */
  public static final String INGRESS_ALIAS = "ingress";
  private static final String BYTES = "org.apache.kafka.connect.converters.ByteArrayConverter";
  /** By name: loading the class needs MirrorMaker's jars, which only the Connect workers have. */
  private static final String POLICY = "io.meshlake.router.RegionReplicationPolicy";
  private static final ObjectMapper JSON = new ObjectMapper();

  private MirrorConnectorConfigs() {}

  /** The connector's name in the region's Connect cluster. */
  public static String connectorName(String region) {
    return "meshlake-mirror-" + region;
  }

  /**
   * The MirrorSourceConnector config for one region: {@code PUT /connectors/<name>/config} with it
   * creates or updates the connector. {@code mirror.*} settings of the router config are merged in
   * (e.g. {@code mirror.replication.factor}, {@code mirror.tasks.max}); the settings that keep events in
   * their region and exactly once cannot be overridden.
   */
  public static Map<String, String> forRegion(RegionRouterConfig config, String region) {
    Map<String, String> regionSettings = config.regionSettings(region);
    Map<String, String> connector = new LinkedHashMap<>();
    connector.put("connector.class", "org.apache.kafka.connect.mirror.MirrorSourceConnector");
    connector.put("name", connectorName(region));
    connector.put("source.cluster.alias", INGRESS_ALIAS);
    connector.put("target.cluster.alias", region);
    connector.put("source.cluster.bootstrap.servers", config.bootstrapServers());
    config.ingressProperties().forEach((key, value) -> connector.put("source.cluster." + key, value));
    regionSettings.forEach((key, value) -> connector.put("target.cluster." + key, value));
    connector.put("topics", TopicNames.regionTopicRegex(region));
    // MM2's default exclusions (.*[-.]internal, .*\.replica) would silently skip domains with such names.
    connector.put("topics.exclude", "");
    connector.put("replication.policy.class", POLICY);
    connector.put("source.consumer.isolation.level", "read_committed");
    connector.put("exactly.once.support", "required");
    connector.put("key.converter", BYTES);
    connector.put("value.converter", BYTES);
    connector.put("header.converter", BYTES);
    connector.put("emit.offset-syncs.enabled", "false");
    connector.put("heartbeats.replication.enabled", "false");
    connector.put("sync.topic.acls.enabled", "false");
    connector.put("sync.topic.configs.enabled", "false");
    // The router creates every region topic at start; a new domain is picked up within this interval.
    connector.put("refresh.topics.interval.seconds", "30");
    connector.putAll(config.mirrorProperties());
    return connector;
  }

  /**
   * The Connect worker settings of a region's MirrorMaker cluster: connected to the region's Kafka,
   * internal topics named after the region, exactly-once source support on, bytes passed through
   * unchanged (headers too). Add the usual deployment settings (listeners, replication factors).
   */
  public static Map<String, String> workerSettings(RegionRouterConfig config, String region) {
    Map<String, String> worker = new TreeMap<>();
    config.regionSettings(region).forEach((key, value) -> {
      worker.put(key, value);
      if (!key.equals(RegionRouterConfig.BOOTSTRAP_SERVERS)) {
        // The tasks' producers and the worker's admin take client settings (security) under prefixes.
        worker.put("producer." + key, value);
        worker.put("admin." + key, value);
      }
    });
    worker.put("group.id", connectorName(region));
    worker.put("config.storage.topic", connectorName(region) + "-configs");
    worker.put("offset.storage.topic", connectorName(region) + "-offsets");
    worker.put("status.storage.topic", connectorName(region) + "-status");
    worker.put("exactly.once.source.support", "enabled");
    worker.put("key.converter", BYTES);
    worker.put("value.converter", BYTES);
    worker.put("header.converter", BYTES);
    return worker;
  }

  /** The body of {@code PUT /connectors/<name>/config}. */
  public static String toJson(Map<String, String> connectorConfig) {
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(connectorConfig);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
