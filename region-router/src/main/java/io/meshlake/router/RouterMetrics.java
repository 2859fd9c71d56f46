package io.meshlake.router;

import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * This router instance's counters and gauges, served as JSON by {@code GET /metrics}. Counters start
 * at zero with the process and count processing attempts: after an aborted transaction the retried
 * events are counted again. Exact per-event accounting is the output topics' job, read committed.
 */
public final class RouterMetrics {

  private final ConcurrentMap<String, LongAdder> routed = new ConcurrentHashMap<>();
  private final Map<DlqReason, LongAdder> dlq = new EnumMap<>(DlqReason.class);
  private final LongAdder released = new LongAdder();
  private final LongAdder invalidResidency = new LongAdder();
  private final LongAdder staleResidency = new LongAdder();
  private final HeldWorkspaces held;

  public RouterMetrics(Collection<String> regions, HeldWorkspaces held) {
    regions.forEach(region -> routed.put(region, new LongAdder()));
    for (DlqReason reason : DlqReason.values()) {
      dlq.put(reason, new LongAdder());
    }
    this.held = held;
  }

  void countRouted(String region) {
    routed.computeIfAbsent(region, r -> new LongAdder()).increment();
  }

  void countDlq(DlqReason reason) {
    dlq.get(reason).increment();
  }

  void countReleased(int events) {
    released.add(events);
  }

  void countInvalidResidency() {
    invalidResidency.increment();
  }

  void countStaleResidency() {
    staleResidency.increment();
  }

  /** Events written to the region's topics (released held events included). */
  public long routed(String region) {
    LongAdder count = routed.get(region);
    return count == null ? 0 : count.sum();
  }

  public long dlq(DlqReason reason) {
    return dlq.get(reason).sum();
  }

  /** Held events released once their workspace got a residency. */
  public long released() {
    return released.sum();
  }

  public long heldEvents() {
    return held.events();
  }

  public long heldBytes() {
    return held.bytes();
  }

  public HeldWorkspaces held() {
    return held;
  }

  /** Residency records skipped as unreadable. */
  public long invalidResidency() {
    return invalidResidency.sum();
  }

  /** Residency records ignored because their epoch was not above the current one. */
  public long staleResidency() {
    return staleResidency.sum();
  }

  /** The JSON document of {@code /metrics}. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    Map<String, Long> routedJson = new TreeMap<>();
    routed.forEach((region, count) -> routedJson.put(region, count.sum()));
    json.put("routed", routedJson);
    Map<String, Long> dlqJson = new LinkedHashMap<>();
    dlq.forEach((reason, count) -> dlqJson.put(reason.label(), count.sum()));
    json.put("dlq", dlqJson);
    Map<String, Object> heldJson = new LinkedHashMap<>();
    heldJson.put("events", held.events());
    heldJson.put("bytes", held.bytes());
    heldJson.put("workspaces", held.byWorkspace().size());
    json.put("held", heldJson);
    json.put("released", released());
    json.put("residency", Map.of("invalid", invalidResidency(), "stale", staleResidency()));
    return json;
  }
}
