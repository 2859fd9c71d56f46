package io.meshlake.streams;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The topology's counters summed over threads and tasks, as served by {@code GET /metrics}. Counters
 * live with the task that counted them: they restart when a task moves to another instance, and a
 * record re-processed after an aborted transaction is counted again (Prometheus-style counter resets).
 */
public record TopologyCounts(
    long forwarded,
    long staleDropped,
    long duplicateDropped,
    long tombstonesPurged,
    long deadLettered,
    Map<String, Long> deadLetteredByReason,
    Map<String, Long> forwardedByModel) {

  public static TopologyCounts of(Map<MetricName, ? extends Metric> metrics) {
    long forwarded = 0;
    long stale = 0;
    long duplicate = 0;
    long purged = 0;
    long deadLettered = 0;
    Map<String, Long> byReason = new TreeMap<>();
    Map<String, Long> byModel = new TreeMap<>();
    for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
      MetricName name = entry.getKey();
      if (!TopologyMetrics.GROUP.equals(name.group())) {
        continue;
      }
      long value = Math.round(((Number) entry.getValue().metricValue()).doubleValue());
      switch (name.name()) {
        case TopologyMetrics.FORWARDED -> forwarded += value;
        case TopologyMetrics.STALE_DROPPED -> stale += value;
        case TopologyMetrics.DUPLICATE_DROPPED -> duplicate += value;
        case TopologyMetrics.TOMBSTONES_PURGED -> purged += value;
        case TopologyMetrics.DEAD_LETTERED -> {
          deadLettered += value;
          byReason.merge(name.tags().get("reason"), value, Long::sum);
        }
        case TopologyMetrics.MODEL_FORWARDED -> byModel.merge(name.tags().get("model"), value, Long::sum);
        default -> { }
      }
    }
    return new TopologyCounts(forwarded, stale, duplicate, purged, deadLettered, Collections.unmodifiableMap(byReason), Collections.unmodifiableMap(byModel));
  }
}
