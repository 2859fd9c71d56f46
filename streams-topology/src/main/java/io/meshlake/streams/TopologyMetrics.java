package io.meshlake.streams;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The counters of one LWW processor (one task), registered as custom sensors in Kafka Streams' metrics
 * registry, so they are reported with the application's other metrics (JMX, {@code KafkaStreams#metrics})
 * and summed by {@link TopologyCounts} for the HTTP endpoint. Removed when the task closes.
 */
final class TopologyMetrics implements AutoCloseable {

  public static final String GROUP = "meshlake-streams-metrics";
  public static final String FORWARDED = "forwarded-total";
  public static final String STALE_DROPPED = "stale-dropped-total";
  public static final String DUPLICATE_DROPPED = "duplicate-dropped-total";
  public static final String DEAD_LETTERED = "dead-lettered-total";
  public static final String MODEL_FORWARDED = "model-forwarded-total";
  public static final String TOMBSTONES_PURGED = "tombstones-purged-total";

  private final StreamsMetrics registry;
  private final Map<String, String> taskTags;
  private final String sensorPrefix;
  private final List<Sensor> sensors = new ArrayList<>();
  private final Sensor forwarded;
  private final Sensor staleDropped;
  private final Sensor duplicateDropped;
  private final Sensor tombstonesPurged;
  private final Map<DlqReason, Sensor> deadLettered = new EnumMap<>(DlqReason.class);
  private final Map<String, Sensor> modelForwarded = new HashMap<>();

  TopologyMetrics(StreamsMetrics registry, String threadId, String taskId, String domain) {
    this.registry = registry;
    this.taskTags = Map.of("thread-id", threadId, "task-id", taskId, "domain", domain);
    this.sensorPrefix = "meshlake." + threadId + "." + taskId + "." + domain + ".";
    this.forwarded = counter(FORWARDED, "events that won last-write-wins and were fanned out", Map.of());
    this.staleDropped = counter(STALE_DROPPED, "events older than the entity's state, dropped", Map.of());
    this.duplicateDropped = counter(DUPLICATE_DROPPED, "events equal to the entity's state, dropped", Map.of());
    this.tombstonesPurged = counter(TOMBSTONES_PURGED, "tombstone states purged after tombstone.retention.ms", Map.of());
  }

  void forwarded() {
    forwarded.record();
  }

  void staleDropped() {
    staleDropped.record();
  }

  void duplicateDropped() {
    duplicateDropped.record();
  }

  void tombstonesPurged(int count) {
    if (count > 0) {
      tombstonesPurged.record(count);
    }
  }

  void deadLettered(DlqReason reason) {
    deadLettered.computeIfAbsent(reason, r -> counter(DEAD_LETTERED, "events sent to the dead-letter topic, by reason",
        Map.of("reason", r.name()))).record();
  }

  void modelForwarded(String model) {
    modelForwarded.computeIfAbsent(model, m -> counter(MODEL_FORWARDED, "events forwarded to a model topic, by model",
        Map.of("model", m))).record();
  }

  private Sensor counter(String name, String description, Map<String, String> extraTags) {
    Map<String, String> tags = new LinkedHashMap<>(taskTags);
    tags.putAll(extraTags);
    Sensor sensor = registry.addSensor(sensorPrefix + name + extraTags.values(), Sensor.RecordingLevel.INFO);
    // A sum, not a count: record() adds 1, record(n) adds n.
    sensor.add(new MetricName(name, GROUP, description, tags), new CumulativeSum());
    sensors.add(sensor);
    return sensor;
  }

  @Override
  public void close() {
    sensors.forEach(registry::removeSensor);
    sensors.clear();
  }
}
