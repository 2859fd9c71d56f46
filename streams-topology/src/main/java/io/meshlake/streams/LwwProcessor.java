package io.meshlake.streams;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.manifest.EntityCatalog;
import java.time.Duration;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Last write wins per resource ARI for one domain's ingress topic: an event is fanned out to its models
 * only when its {@code (generation_watermark, version)} is strictly newer than the entity's state; an
 * equal one is a duplicate and an older one is stale, both dropped and counted. Invalid records go to
 * the domain's dead-letter topic. Tombstones are remembered like any event, until the reaper forgets them.
 */
final class LwwProcessor implements Processor<byte[], byte[], byte[], byte[]> {

  private final String domain;
  private final EnvelopeDecoder decoder;
  private final EnvelopeValidator validator;
  private final Duration tombstoneRetention;
  private final Duration purgeInterval;

  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<String, LwwState> states;
  private TombstoneReaper reaper;
  private TopologyMetrics metrics;

  LwwProcessor(String domain, EntityCatalog catalog, EnvelopeDecoder decoder, Duration tombstoneRetention, Duration purgeInterval) {
    this.domain = domain;
    this.decoder = decoder;
    this.validator = new EnvelopeValidator(domain, catalog);
    this.tombstoneRetention = tombstoneRetention;
    this.purgeInterval = purgeInterval;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> context) {
    this.context = context;
    this.states = context.getStateStore(LwwTopology.stateStore(domain));
    KeyValueStore<Bytes, byte[]> expiryIndex = context.getStateStore(LwwTopology.tombstoneIndexStore(domain));
    this.metrics = new TopologyMetrics(context.metrics(), Thread.currentThread().getName(), context.taskId().toString(), domain);
    this.reaper = new TombstoneReaper(states, expiryIndex, tombstoneRetention, metrics);
    context.schedule(purgeInterval, PunctuationType.WALL_CLOCK_TIME, reaper);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata source = context.recordMetadata().orElseThrow(
        () -> new IllegalStateException("LWW processing needs the source record's topic, partition and offset"));
    EntityEvent event;
    try {
      FacsimileRecord envelope = decoder.decode(record.value());
      event = validator.validate(record.key(), envelope);
    } catch (InvalidEnvelopeException invalid) {
      context.forward(DeadLetters.deadLetter(record, source, invalid), FanOut.sinkName(TopicNames.deadLetters(domain)));
      metrics.deadLettered(invalid.reason());
      return;
    }

    LwwState current = states.get(event.resourceAri());
    if (current != null && !current.isSupersededBy(event.order())) {
      if (event.order().equals(current.order())) {
        metrics.duplicateDropped();
      } else {
        metrics.staleDropped();
      }
      return;
    }
    LwwState next = new LwwState(event.order(), event.tombstone(), context.currentSystemTimeMs());
    states.put(event.resourceAri(), next);
    reaper.track(event.resourceAri(), current, next);
    for (String model : FanOut.forward(context, record, source, event.manifest())) {
      metrics.modelForwarded(model);
    }
    metrics.forwarded();
  }

  @Override
  public void close() {
    if (metrics != null) {
      metrics.close();
    }
  }
}
