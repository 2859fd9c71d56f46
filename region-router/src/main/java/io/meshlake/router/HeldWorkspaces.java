package io.meshlake.router;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What this router instance holds right now, per workspace, summed over its tasks: the held gauges
 * of {@code /metrics} and the list of {@code GET /held}. Each task's {@link HeldEvents} keeps its own
 * entry up to date from the stream thread; readers see a consistent-enough snapshot.
 */
public final class HeldWorkspaces {

  /** Events and bytes held for one workspace. */
  public record Hold(long events, long bytes) {
    Hold plus(Hold other) {
      return new Hold(events + other.events, bytes + other.bytes);
    }
  }

  private final ConcurrentMap<String, ConcurrentMap<String, Hold>> byTask = new ConcurrentHashMap<>();

  /** The live map of one task's holds (workspace → hold); replaced if the task is opened again. */
  ConcurrentMap<String, Hold> forTask(String taskId) {
    ConcurrentMap<String, Hold> holds = new ConcurrentHashMap<>();
    byTask.put(taskId, holds);
    return holds;
  }

  /** The task left this instance (closed or migrated): its held events are no longer ours to count. */
  void forget(String taskId) {
    byTask.remove(taskId);
  }

  /** Held events per workspace, sorted by workspace. */
  public Map<String, Hold> byWorkspace() {
    Map<String, Hold> result = new TreeMap<>();
    byTask.values().forEach(holds -> holds.forEach((workspace, hold) -> result.merge(workspace, hold, Hold::plus)));
    return result;
  }

  public long events() {
    return byTask.values().stream().flatMap(h -> h.values().stream()).mapToLong(Hold::events).sum();
  }

  public long bytes() {
    return byTask.values().stream().flatMap(h -> h.values().stream()).mapToLong(Hold::bytes).sum();
  }
}
