package io.meshlake.local;

import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.manifest.ModelRef;
import io.meshlake.query.LakeQuery;
import io.meshlake.query.LakeQueryConfig;
import io.meshlake.query.LakeQueryServer;
import io.meshlake.query.ServerConfig;
import io.meshlake.registry.RegistryConfig;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.router.MirrorConnectorConfigs;
import io.meshlake.router.RegionRouterApp;
import io.meshlake.router.RegionRouterConfig;
import io.meshlake.streams.StreamsTopologyApp;
import io.meshlake.streams.StreamsTopologyConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Everything of meshlake on embedded defaults, in this JVM: an ingress Kafka cluster and one per
 * region (eu, us), the schema registry, the region router with MirrorMaker 2 per region, the streams
 * topology per region, a Connect worker per region running the raw and refined delta sinks, and
 * lake-query per region. Tables live under the data directory, one lake per region.
 */
final class LocalStack implements AutoCloseable {

  static final List<String> REGIONS = List.of("eu", "us");
  static final int PARTITIONS = 4;

  private final Path data;
  private final StackPorts ports;
  private final Progress progress;
  private final EntityCatalog catalog = EntityCatalog.load();
  private final List<AutoCloseable> started = new ArrayList<>();
  private final Map<String, LocalKafka> kafka = new LinkedHashMap<>();
  private final Map<String, ConnectWorker> connect = new LinkedHashMap<>();
  private final Map<String, LakeQuery> queries = new LinkedHashMap<>();
  private SchemaRegistryServer registry;
  private RegionRouterConfig routerConfig;

  LocalStack(Path data, StackPorts ports, Progress progress) {
    this.data = data.toAbsolutePath().normalize();
    this.ports = ports;
    this.progress = progress;
  }

  Path data() {
    return data;
  }

  Path lake(String region) {
    return data.resolve(region).resolve("lake");
  }

  Path offload(String region) {
    return data.resolve(region).resolve("offload");
  }

  String registryUrl() {
    return "http://127.0.0.1:" + ports.registry();
  }

  String ingress() {
    return kafka.get("ingress").bootstrapServers();
  }

  RegionRouterConfig routerConfig() {
    return routerConfig;
  }

  LakeQuery query(String region) {
    return queries.get(region);
  }

  EntityCatalog catalog() {
    return catalog;
  }

  void start() {
    try {
      for (String region : REGIONS) {
        Files.createDirectories(lake(region));
        Files.createDirectories(offload(region));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the data directory " + data, e);
    }
    kafka.put("ingress", track(progress.step("ingress Kafka (KRaft) on localhost:" + ports.ingressKafka(),
        () -> LocalKafka.start("ingress", ports.ingressKafka(), data))));
    for (String region : REGIONS) {
      kafka.put(region, track(progress.step(region + " Kafka (KRaft) on localhost:" + ports.kafka(region),
          () -> LocalKafka.start(region, ports.kafka(region), data.resolve(region)))));
    }
    progress.step("topics facsimile.<domain> on every cluster", () -> {
      for (LocalKafka cluster : kafka.values()) {
        for (String domain : catalog.domains()) {
          createTopic(cluster.bootstrapServers(), "facsimile." + domain);
        }
      }
    });
    registry = track(progress.step("schema registry on " + registryUrl(), () -> SchemaRegistryServer.start(RegistryConfig.builder()
        .bootstrapServers(ingress()).topic("_schemas").listenHost("127.0.0.1").listenPort(ports.registry()).build())));
    RegionRouterConfig.Builder router = RegionRouterConfig.builder().bootstrapServers(ingress())
        .stateDir(data.resolve("router-state")).httpHost("127.0.0.1").httpPort(ports.router())
        // Static membership: a restart takes its place in the group at once. Kafka Streams does not
        // leave the group on close, so a new dynamic member waited out the old one's session (45 s).
        .streamsProperty("group.instance.id", "meshlake-local-router");
    REGIONS.forEach(r -> router.region(r, kafka.get(r).bootstrapServers()));
    routerConfig = router.build();
    RegionRouterApp routerApp = track(progress.step("region router (residency, held events)", () -> RegionRouterApp.start(routerConfig)));
    progress.step("region router running", () -> routerApp.awaitRunning(Duration.ofMinutes(3)));
    for (String region : REGIONS) {
      StreamsTopologyApp streams = track(progress.step(region + " streams topology (last write wins, fan-out)", () -> StreamsTopologyApp.start(
          StreamsTopologyConfig.of(Map.of(
              "bootstrap.servers", kafka.get(region).bootstrapServers(),
              "schema.registry.url", registryUrl(),
              "application.id", "meshlake-streams-" + region,
              "state.dir", data.resolve(region).resolve("streams-state").toString(),
              "http.host", "127.0.0.1",
              "http.port", Integer.toString(ports.streams(region)),
              "streams.group.instance.id", "meshlake-local-streams-" + region)))));
      progress.step(region + " streams topology running", () -> awaitStreams(streams));
      Map<String, String> worker = new HashMap<>(MirrorConnectorConfigs.workerSettings(routerConfig, region));
      ConnectWorker w = track(progress.step(region + " Connect worker on localhost:" + ports.connect(region),
          () -> ConnectWorker.start(region, kafka.get(region).bootstrapServers(), ports.connect(region), worker)));
      connect.put(region, w);
      progress.step(region + " MirrorMaker 2 and delta sinks deployed", () -> deployConnectors(region, w));
      LakeQuery query = track(new LakeQuery(LakeQueryConfig.forRoot(lake(region))));
      queries.put(region, query);
      progress.step(region + " lake-query on http://127.0.0.1:" + ports.query(region), () -> {
        try {
          return track(LakeQueryServer.start(ServerConfig.of(LakeQueryConfig.forRoot(lake(region))).withHost("127.0.0.1")
              .withPort(ports.query(region)), query));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private static void awaitStreams(StreamsTopologyApp streams) {
    try {
      streams.awaitRunning(Duration.ofMinutes(3));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the streams topology started", e);
    }
  }

  /** The region's MirrorMaker 2 connector, its raw sinks (one per domain) and refined sinks (one per model). */
  private void deployConnectors(String region, ConnectWorker worker) {
    worker.deploy(MirrorConnectorConfigs.connectorName(region), MirrorConnectorConfigs.forRegion(routerConfig, region));
    for (String domain : catalog.domains()) {
      Map<String, String> raw = sinkConfig(region, "facsimile." + domain, domain);
      raw.put("writer.type", "Append");
      raw.put("domain", domain);
      worker.deploy("raw-" + domain, raw);
    }
    for (EntityManifest entity : catalog.entities()) {
      for (ModelRef model : entity.models()) {
        Map<String, String> refined = sinkConfig(region, "model." + model.name(), entity.domain());
        refined.put("writer.type", model.writer().manifestName());
        refined.put("model", model.name());
        refined.put("key.locator.dir", data.resolve(region).resolve("key-locators").toString());
        worker.deploy("refined-" + model.name(), refined);
      }
    }
  }

  private Map<String, String> sinkConfig(String region, String topic, String domain) {
    Map<String, String> c = new HashMap<>();
    c.put("connector.class", "io.meshlake.sink.connect.DeltaSinkConnector");
    c.put("topics", topic);
    c.put("tasks.max", "1");
    c.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    c.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
    // Everything the sinks read was written transactionally (MirrorMaker 2, the streams topology).
    c.put("consumer.override.isolation.level", "read_committed");
    c.put("consumer.override.auto.offset.reset", "earliest");
    c.put("table.root", lake(region).toString());
    c.put("schema.registry.url", registryUrl());
    c.put("offload.local.root", offload(region).toString());
    c.put("errors.tolerance", "all");
    c.put("errors.deadletterqueue.topic.name", "dlq.sink." + domain);
    c.put("errors.deadletterqueue.topic.replication.factor", "1");
    c.put("errors.deadletterqueue.context.headers.enable", "true");
    c.put("flush.interval.ms", "2000");
    return c;
  }

  static void createTopic(String bootstrapServers, String topic) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new IllegalStateException("could not create topic " + topic + " on " + bootstrapServers + ": " + e.getCause(), e);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether any event was ever published to the ingress topics (a restart must not publish again). */
  boolean ingressHasEvents() {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", ingress()))) {
      for (String domain : catalog.domains()) {
        String topic = "facsimile." + domain;
        var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
            org.apache.kafka.clients.admin.OffsetSpec.latest()));
        for (var offset : admin.listOffsets(request).all().get().values()) {
          if (offset.offset() > 0) {
            return true;
          }
        }
      }
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not read the ingress topics' offsets: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  Map<String, String> connectorStatus(String region, List<String> names) {
    Map<String, String> result = new LinkedHashMap<>();
    names.forEach(n -> result.put(n, connect.get(region).status(n)));
    return result;
  }

  private <T extends AutoCloseable> T track(T component) {
    started.add(component);
    return component;
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        progress.line("  (stopping " + started.get(i).getClass().getSimpleName() + ": " + e + ")");
      }
    }
    started.clear();
  }
}
