package io.meshlake.streams;

import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.manifest.ModelRef;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Sends a winning event to every refined model its entity feeds: the original value bytes, unchanged,
 * keyed by the original key (the resource ARI). With the same key bytes and partition count, every
 * version of one entity lands in the same partition of every model topic, so the sink task that owns
 * that partition owns all of the entity's rows (DESIGN.md, one owner per data file). Raw tables are fed
 * from the ingress topic directly, so only models are forwarded here.
 */
public final class FanOut {

  public static final String SOURCE_TOPIC = "meshlake.source.topic";
  public static final String SOURCE_PARTITION = "meshlake.source.partition";
  public static final String SOURCE_OFFSET = "meshlake.source.offset";

  private FanOut() {}

  /** The model topics fed by one domain's entities, in catalog order. */
  static List<String> modelTopics(EntityCatalog catalog, String domain) {
    List<String> topics = new ArrayList<>();
    for (EntityManifest manifest : catalog.byDomain(domain)) {
      for (ModelRef model : manifest.models()) {
        topics.add(TopicNames.model(model.name()));
      }
    }
    return topics;
  }

  /** The name of the sink node writing to a topic. */
  static String sinkName(String topic) {
    return "sink-" + topic;
  }

  /** Forwards the event to each of the manifest's models; returns the models it went to. */
  static List<String> forward(ProcessorContext<byte[], byte[]> context, Record<byte[], byte[]> event, RecordMetadata source,
      EntityManifest manifest) {
    List<String> models = new ArrayList<>(manifest.models().size());
    for (ModelRef model : manifest.models()) {
      // Each child gets its own headers: a downstream node may change them.
      Headers headers = new RecordHeaders(event.headers().toArray());
      headers.remove(SOURCE_TOPIC);
      headers.remove(SOURCE_PARTITION);
      headers.remove(SOURCE_OFFSET);
      headers.add(SOURCE_TOPIC, source.topic().getBytes(StandardCharsets.UTF_8))
          .add(SOURCE_PARTITION, Integer.toString(source.partition()).getBytes(StandardCharsets.UTF_8))
          .add(SOURCE_OFFSET, Long.toString(source.offset()).getBytes(StandardCharsets.UTF_8));
      context.forward(new Record<>(event.key(), event.value(), event.timestamp(), headers), sinkName(TopicNames.model(model.name())));
      models.add(model.name());
    }
    return models;
  }
}
