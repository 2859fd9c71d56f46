package io.meshlake.streams;

import io.meshlake.contracts.manifest.EntityCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Wires one independent sub-topology per domain: {@code facsimile.<domain>} (bytes, decoded in the
 * processor so every failure can be dead-lettered) → {@link LwwProcessor} with its RocksDB stores →
 * one sink per {@code model.<model>} of the domain's entities and one for {@code dlq.<domain>}.
 */
public final class LwwTopology {

  private LwwTopology() {}

  public static String stateStore(String domain) {
    return "lww-state-" + domain;
  }

  public static String tombstoneIndexStore(String domain) {
    return "lww-tombstones-" + domain;
  }

  static Topology build(EntityCatalog catalog, List<String> domains, EnvelopeDecoder decoder, Duration tombstoneRetention,
      Duration purgeInterval) {
    return build(catalog, domains, decoder, tombstoneRetention, purgeInterval, Stores::persistentKeyValueStore);
  }

  /**
   * @param stores RocksDB in the application; a test may use in-memory stores, because TopologyTestDriver
   *     flushes RocksDB after every record (about 9 ms each), which a real application does not do
   */
  static Topology build(EntityCatalog catalog, List<String> domains, EnvelopeDecoder decoder, Duration tombstoneRetention,
      Duration purgeInterval, Function<String, KeyValueBytesStoreSupplier> stores) {
    Topology topology = new Topology();
    for (String domain : domains) {
      String source = "source-" + TopicNames.ingress(domain);
      String processor = "lww-" + domain;
      topology.addSource(source, new ByteArrayDeserializer(), new ByteArrayDeserializer(), TopicNames.ingress(domain));
      topology.addProcessor(processor, () -> new LwwProcessor(domain, catalog, decoder, tombstoneRetention, purgeInterval), source);
      topology.addStateStore(Stores.keyValueStoreBuilder(
          stores.apply(stateStore(domain)), Serdes.String(), new LwwStateSerde()), processor);
      topology.addStateStore(Stores.keyValueStoreBuilder(
          stores.apply(tombstoneIndexStore(domain)), Serdes.Bytes(), Serdes.ByteArray()), processor);
      List<String> outputs = new ArrayList<>(FanOut.modelTopics(catalog, domain));
      outputs.add(TopicNames.deadLetters(domain));
      for (String topic : outputs) {
        topology.addSink(FanOut.sinkName(topic), topic, new ByteArraySerializer(), new ByteArraySerializer(), processor);
      }
    }
    return topology;
  }
}
