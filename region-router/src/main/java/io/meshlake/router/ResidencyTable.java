package io.meshlake.router;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The router's copy of {@code control.workspace-residency}: one global store per router instance
 * holding, for every workspace, the residency record with the highest epoch seen. It is written only
 * by {@link ResidencyUpdater} (also when the store is rebuilt from the topic after a restart, so a
 * late lower epoch never wins) and read by every routing task.
 */
public final class ResidencyTable {

  public static final String STORE = "workspace-residency";
  static final String SOURCE = "residency-source";
  static final String UPDATER = "residency-updater";

  private final ReadOnlyKeyValueStore<String, ResidencyRecord> store;

  private ResidencyTable(ReadOnlyKeyValueStore<String, ResidencyRecord> store) {
    this.store = store;
  }

  /** Adds the global store, fed from the residency topic through the epoch guard. */
  static void addTo(Topology topology, String residencyTopic, RouterMetrics metrics) {
    topology.addGlobalStore(
        // The topic is the store's changelog: no second copy.
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(), ResidencyCodec.serde())
            .withLoggingDisabled(),
        SOURCE,
        // Raw bytes in: a malformed record is the updater's to log and skip, never a deserialization failure.
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        residencyTopic,
        UPDATER,
        () -> new ResidencyUpdater(metrics));
  }

  /** The table as seen by a routing task. */
  static ResidencyTable of(ProcessingContext context) {
    KeyValueStore<String, ResidencyRecord> store = context.getStateStore(STORE);
    return new ResidencyTable(store);
  }

  /** The workspace's current residency, or null when it has none. */
  public ResidencyRecord residencyOf(String workspace) {
    return store.get(workspace);
  }
}
