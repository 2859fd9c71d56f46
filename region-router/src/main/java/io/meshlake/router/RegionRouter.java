package io.meshlake.router;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each ingress event, unchanged, to {@code region.<region>.facsimile.<domain>} of its
 * workspace's home region; an event whose workspace cannot be established goes to
 * {@code ingress.dlq.<domain>} and never to a region.
 *
 * <p>An event of a workspace without a residency is held ({@link HeldEvents}), and so is every later
 * event of that workspace, behind it, so a workspace's events leave in arrival order. They are
 * released as soon as the residency exists: by the next event of the workspace, or by a wall-clock
 * punctuator. With a default region configured, a workspace without a residency goes there instead.
 * A residency naming a region this router does not know is treated like none: held, never guessed.
 */
final class RegionRouter implements Processor<byte[], byte[], byte[], RoutedValue> {

  static final String HEADER_REASON = "meshlake.dlq.reason";
  static final String HEADER_MESSAGE = "meshlake.dlq.message";
  static final String HEADER_TOPIC = "meshlake.dlq.topic";
  static final String HEADER_PARTITION = "meshlake.dlq.partition";
  static final String HEADER_OFFSET = "meshlake.dlq.offset";

  private static final Logger LOG = LoggerFactory.getLogger(RegionRouter.class);

  private final Set<String> regions;
  private final String defaultRegion;
  private final Duration releaseInterval;
  private final RouterMetrics metrics;
  private ProcessorContext<byte[], RoutedValue> context;
  private ResidencyTable residency;
  private HeldEvents held;
  private String taskId;

  /**
   * @param defaultRegion where workspaces without a residency go; null to hold their events instead
   */
  RegionRouter(Set<String> regions, String defaultRegion, Duration releaseInterval, RouterMetrics metrics) {
    this.regions = Set.copyOf(regions);
    this.defaultRegion = defaultRegion;
    this.releaseInterval = releaseInterval;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<byte[], RoutedValue> context) {
    this.context = context;
    this.taskId = context.taskId().toString();
    this.residency = ResidencyTable.of(context);
    this.held = HeldEvents.open(context.getStateStore(HeldEvents.STORE), metrics.held().forTask(taskId));
    if (!held.workspaces().isEmpty()) {
      LOG.info("task {} holds events of {} workspace(s) without a residency: {}", taskId, held.workspaces().size(),
          held.workspaces());
    }
    context.schedule(releaseInterval, PunctuationType.WALL_CLOCK_TIME, now -> releaseAssigned());
  }

  @Override
  public void process(Record<byte[], byte[]> event) {
    RecordMetadata source = context.recordMetadata().orElseThrow();
    EnvelopeInspector.Verdict verdict = EnvelopeInspector.inspect(event.key(), event.value());
    if (verdict instanceof EnvelopeInspector.Rejected rejected) {
      toDlq(event, source, rejected);
      return;
    }
    String workspace = ((EnvelopeInspector.Routable) verdict).workspace();
    String region = regionOf(workspace);
    if (region == null) {
      hold(workspace, event, source);
      return;
    }
    if (held.isHolding(workspace)) {
      release(workspace, region);
    }
    route(event, source.topic(), region);
  }

  @Override
  public void close() {
    metrics.held().forget(taskId);
  }

  /** The region the workspace's events go to now, or null when they must be held. */
  private String regionOf(String workspace) {
    ResidencyRecord home = residency.residencyOf(workspace);
    if (home != null) {
      return regions.contains(home.region()) ? home.region() : null;
    }
    return defaultRegion;
  }

  private void route(Record<byte[], byte[]> event, String sourceTopic, String region) {
    String topic = TopicNames.regionTopic(region, sourceTopic);
    context.forward(event.withValue(new RoutedValue(topic, event.value())));
    metrics.countRouted(region);
  }

  private void hold(String workspace, Record<byte[], byte[]> event, RecordMetadata source) {
    HeldEvent heldEvent = new HeldEvent(source.topic(), source.partition(), source.offset(), event.timestamp(),
        event.key(), event.value(), new RecordHeaders(event.headers().toArray()));
    if (held.hold(workspace, heldEvent)) {
      LOG.info("holding events of workspace '{}' in task {} from {}-{}@{}: {}", workspace, taskId, source.topic(),
          source.partition(), source.offset(), whyHeld(workspace));
    }
  }

  private String whyHeld(String workspace) {
    ResidencyRecord home = residency.residencyOf(workspace);
    return home == null
        ? "it has no residency yet; they are released in order once one is assigned"
        : "its residency (epoch " + home.epoch() + ") names region '" + home.region()
            + "', which is not one of this router's regions " + regions.stream().sorted().toList();
  }

  private void releaseAssigned() {
    for (String workspace : held.workspaces()) {
      String region = regionOf(workspace);
      if (region != null) {
        release(workspace, region);
      }
    }
  }

  private void release(String workspace, String region) {
    int released = held.release(workspace, event -> {
      String topic = TopicNames.regionTopic(region, event.sourceTopic());
      context.forward(new Record<>(event.key(), new RoutedValue(topic, event.value()), event.timestamp(), event.headers()));
      metrics.countRouted(region);
    });
    metrics.countReleased(released);
    LOG.info("released {} held event(s) of workspace '{}' to region {} (task {})", released, workspace, region, taskId);
  }

  private void toDlq(Record<byte[], byte[]> event, RecordMetadata source, EnvelopeInspector.Rejected rejected) {
    Headers headers = new RecordHeaders(event.headers().toArray());
    headers.add(HEADER_REASON, utf8(rejected.reason().label()));
    headers.add(HEADER_MESSAGE, utf8(rejected.message()));
    headers.add(HEADER_TOPIC, utf8(source.topic()));
    headers.add(HEADER_PARTITION, utf8(Integer.toString(source.partition())));
    headers.add(HEADER_OFFSET, utf8(Long.toString(source.offset())));
    String topic = TopicNames.dlqTopic(source.topic());
    context.forward(new Record<>(event.key(), new RoutedValue(topic, event.value()), event.timestamp(), headers));
    metrics.countDlq(rejected.reason());
    LOG.debug("{}-{}@{} to {}: {} ({})", source.topic(), source.partition(), source.offset(), topic,
        rejected.reason().label(), rejected.message());
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
