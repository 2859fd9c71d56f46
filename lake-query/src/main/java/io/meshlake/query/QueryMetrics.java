package io.meshlake.query;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts queries by outcome ({@code ok}, {@code rejected}, {@code error}, {@code timeout},
 * {@code busy}), rows returned and latency, and renders them in the Prometheus text format.
 */
public final class QueryMetrics {

  private static final double[] BUCKETS = {0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

  private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  private final LongAdder[] bucketCounts = new LongAdder[BUCKETS.length];
  private final LongAdder count = new LongAdder();
  private final LongAdder nanos = new LongAdder();
  private final LongAdder rows = new LongAdder();
  private final AtomicLong inFlight = new AtomicLong();

  QueryMetrics() {
    for (int i = 0; i < BUCKETS.length; i++) {
      bucketCounts[i] = new LongAdder();
    }
    for (String outcome : new String[] {"ok", "rejected", "error", "timeout", "busy"}) {
      outcomes.put(outcome, new LongAdder());
    }
  }

  void started() {
    inFlight.incrementAndGet();
  }

  void finished(String outcome, long elapsedNanos, long rowsReturned) {
    inFlight.decrementAndGet();
    outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
    count.increment();
    nanos.add(elapsedNanos);
    rows.add(rowsReturned);
    double seconds = elapsedNanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        bucketCounts[i].increment();
      }
    }
  }

  /** Queries finished with this outcome so far. */
  public long count(String outcome) {
    LongAdder adder = outcomes.get(outcome);
    return adder == null ? 0 : adder.sum();
  }

  public long total() {
    return count.sum();
  }

  public String prometheus() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP meshlake_query_total Queries finished, by outcome (ok, rejected, error, timeout, busy).\n");
    out.append("# TYPE meshlake_query_total counter\n");
    new TreeMap<>(outcomes).forEach((outcome, n) ->
        out.append("meshlake_query_total{outcome=\"").append(outcome).append("\"} ").append(n.sum()).append('\n'));
    out.append("# HELP meshlake_query_rows_total Rows returned by successful queries.\n");
    out.append("# TYPE meshlake_query_rows_total counter\n");
    out.append("meshlake_query_rows_total ").append(rows.sum()).append('\n');
    out.append("# HELP meshlake_query_in_flight Queries running now.\n");
    out.append("# TYPE meshlake_query_in_flight gauge\n");
    out.append("meshlake_query_in_flight ").append(inFlight.get()).append('\n');
    out.append("# HELP meshlake_query_duration_seconds Query latency, from arrival to the last row read.\n");
    out.append("# TYPE meshlake_query_duration_seconds histogram\n");
    for (int i = 0; i < BUCKETS.length; i++) {
      out.append("meshlake_query_duration_seconds_bucket{le=\"").append(format(BUCKETS[i])).append("\"} ")
          .append(bucketCounts[i].sum()).append('\n');
    }
    out.append("meshlake_query_duration_seconds_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n');
    out.append("meshlake_query_duration_seconds_sum ").append(format(nanos.sum() / 1e9)).append('\n');
    out.append("meshlake_query_duration_seconds_count ").append(count.sum()).append('\n');
    return out.toString();
  }

  private static String format(double d) {
    return String.format(Locale.ROOT, "%s", d);
  }
}
