package io.meshlake.router;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@link ResidencyTable} at the highest epoch per workspace. A record replaces the current one
 * only with a strictly higher epoch; a null value (tombstone) removes the workspace's residency, so
 * its later events are held. Invalid records are logged and skipped: a bad control message must
 * never stop routing.
 */
final class ResidencyUpdater implements Processor<String, byte[], Void, Void> {

  private static final Logger LOG = LoggerFactory.getLogger(ResidencyUpdater.class);

  private final RouterMetrics metrics;
  private ProcessorContext<Void, Void> context;
  private KeyValueStore<String, ResidencyRecord> store;

  ResidencyUpdater(RouterMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.context = context;
    this.store = context.getStateStore(ResidencyTable.STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    String workspace = record.key();
    if (workspace == null) {
      skip(null, "it has no key (the key must be the workspace id)");
      return;
    }
    if (record.value() == null) {
      if (store.delete(workspace) != null) {
        LOG.info("residency of workspace '{}' removed by a tombstone at {}; its later events are held", workspace, where());
      }
      return;
    }
    ResidencyRecord update;
    try {
      update = ResidencyCodec.decode(record.value());
    } catch (InvalidResidencyException e) {
      skip(workspace, e.getMessage());
      return;
    }
    if (!update.workspace().equals(workspace)) {
      skip(workspace, "its value names workspace '" + update.workspace() + "' but its key is '" + workspace + "'");
      return;
    }
    ResidencyRecord current = store.get(workspace);
    if (!update.supersedes(current)) {
      metrics.countStaleResidency();
      if (update.epoch() < current.epoch() || !update.region().equals(current.region())) {
        LOG.warn("ignoring residency of workspace '{}' at {}: epoch {} ({}) is not above the current epoch {} ({})",
            workspace, where(), update.epoch(), update.region(), current.epoch(), current.region());
      }
      return;
    }
    store.put(workspace, update);
    LOG.debug("workspace '{}' resides in {} from epoch {}", workspace, update.region(), update.epoch());
  }

  private void skip(String workspace, String why) {
    metrics.countInvalidResidency();
    LOG.warn("skipping residency record{} at {}: {}", workspace == null ? "" : " of workspace '" + workspace + "'",
        where(), why);
  }

  private String where() {
    return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
  }
}
