package io.meshlake.registry;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one registry instance since it started, served as JSON by {@code GET /metrics}. */
public final class RegistryMetrics {

  final LongAdder requests = new LongAdder();
  /** New (subject, version) bindings written by this instance. */
  final LongAdder registrations = new LongAdder();
  /** Register calls answered with an existing id (the schema was already live under the subject). */
  final LongAdder registrationsExisting = new LongAdder();
  /** Reads of schemas: by id, by subject/version, and "is this schema registered" lookups. */
  final LongAdder lookups = new LongAdder();
  final LongAdder compatibilityChecks = new LongAdder();
  final LongAdder deletes = new LongAdder();
  final LongAdder configChanges = new LongAdder();
  /** Proposals that lost to a concurrent writer and were retried. */
  final LongAdder proposalsLost = new LongAdder();
  final LongAdder errors = new LongAdder();
  private final Map<Integer, LongAdder> errorsByCode = new ConcurrentHashMap<>();

  public void request() {
    requests.increment();
  }

  public void error(int errorCode) {
    errors.increment();
    errorsByCode.computeIfAbsent(errorCode, c -> new LongAdder()).increment();
  }

  public long registrations() {
    return registrations.sum();
  }

  public long lookups() {
    return lookups.sum();
  }

  public long errors() {
    return errors.sum();
  }

  /** Every counter by name; {@code errors_by_code} maps error codes to counts. */
  public Map<String, Object> snapshot() {
    Map<String, Object> out = new TreeMap<>();
    out.put("requests", requests.sum());
    out.put("registrations", registrations.sum());
    out.put("registrations_existing", registrationsExisting.sum());
    out.put("lookups", lookups.sum());
    out.put("compatibility_checks", compatibilityChecks.sum());
    out.put("deletes", deletes.sum());
    out.put("config_changes", configChanges.sum());
    out.put("proposals_lost", proposalsLost.sum());
    out.put("errors", errors.sum());
    Map<String, Long> byCode = new TreeMap<>();
    errorsByCode.forEach((code, count) -> byCode.put(Integer.toString(code), count.sum()));
    out.put("errors_by_code", byCode);
    return out;
  }
}
