package io.meshlake.router;

import java.util.HashSet;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The router's Kafka Streams topology: every ingress topic → {@link RegionRouter} (with its held
 * events store and read access to the {@link ResidencyTable}) → one sink writing each event to the
 * topic the router chose. Bytes in, bytes out.
 */
public final class RegionRoutingTopology {

  static final String SOURCE = "ingress-events";
  static final String ROUTER = "region-router";
  static final String SINK = "routed-events";

  private RegionRoutingTopology() {}

  public static Topology build(RegionRouterConfig config, RouterMetrics metrics) {
    Topology topology = new Topology();
    ResidencyTable.addTo(topology, config.residencyTopic(), metrics);
    if (config.sourceTopics().isEmpty()) {
      // Whatever the configured pattern, only facsimile.<domain> topics: their names give the output topics.
      Pattern ingressOnly = Pattern.compile("(?=" + Pattern.quote(TopicNames.FACSIMILE_PREFIX) + ")(?:"
          + config.sourcePattern().pattern() + ")");
      topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), ingressOnly);
    } else {
      topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(),
          config.sourceTopics().toArray(String[]::new));
    }
    topology.addProcessor(ROUTER, () -> new RegionRouter(new HashSet<>(config.regions()), config.defaultRegion(),
        config.heldReleaseInterval(), metrics), SOURCE);
    topology.addStateStore(HeldEvents.storeBuilder(), ROUTER);
    topology.addSink(SINK, RoutedValue.TOPIC, new ByteArraySerializer(), RoutedValue.SERIALIZER, ROUTER);
    return topology;
  }
}
