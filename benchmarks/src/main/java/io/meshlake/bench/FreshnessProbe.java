package io.meshlake.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Freshness at a fixed produce rate: how long after an event is produced its row is visible in a new
 * snapshot of the refined table.
 *
 * <p>Attribution: an event is produced at its record timestamp (set by the producer when the event is
 * handed to it; the streams topology keeps it on the model record). It is visible from the first refined
 * commit whose {@code txn} for its model partition records an offset at or past its model record's offset
 * (the sink commits a batch's rows and that offset in one Delta commit); that commit's time is when its
 * log file appeared ({@link DeltaLogWatcher}). Events last-write-wins drops (stale or duplicate
 * deliveries) never reach the model topic and are not counted; an event replaced by a newer one within
 * the same batch counts as visible with that batch.
 */
final class FreshnessProbe {

  private final String bootstrapServers;
  private final int partitions;

  FreshnessProbe(String bootstrapServers, int partitions) {
    this.bootstrapServers = bootstrapServers;
    this.partitions = partitions;
  }

  /** Width of a {@link Latencies#timeline()} slice, by produce time. */
  static final long SLICE_MILLIS = 10_000;

  /**
   * Latencies of the model records in [from[p], to[p]] per partition, from the watcher's commit history;
   * the timeline slices them by produce time from {@code windowStart} (epoch ms).
   */
  Latencies measure(String modelTopic, long[] from, long[] to, DeltaLogWatcher watcher, String connector,
      ModelArrivals arrivals, long windowStart) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-freshness");
    watcher.refresh();
    long[] latencies = new long[1024];
    Split streams = new Split();
    Split sink = new Split();
    // Per slice of produce time: end-to-end latencies and the topology's share, so a backlog that
    // builds or drains during the window shows as such rather than only in the percentiles.
    List<Split[]> slices = new ArrayList<>();
    int visible = 0;
    long notVisible = 0;
    long records = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      for (int p = 0; p < partitions; p++) {
        if (to[p] < from[p]) {
          continue;
        }
        TopicPartition tp = new TopicPartition(modelTopic, p);
        consumer.assign(List.of(tp));
        consumer.seek(tp, from[p]);
        String appId = SinkConnectors.appId(connector, modelTopic, p);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (consumer.position(tp) <= to[p]) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("could not read " + tp + " up to " + to[p]);
          }
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.offset() > to[p]) {
              break;
            }
            records++;
            long at = watcher.visibleAt(appId, r.offset());
            if (at < 0) {
              notVisible++;
              continue;
            }
            if (visible == latencies.length) {
              latencies = Arrays.copyOf(latencies, visible * 2);
            }
            long latency = Math.max(0, at - r.timestamp());
            latencies[visible++] = latency;
            int slice = (int) Math.max(0, (r.timestamp() - windowStart) / SLICE_MILLIS);
            while (slices.size() <= slice) {
              slices.add(new Split[] {new Split(), new Split()});
            }
            slices.get(slice)[0].add(latency);
            long arrived = arrivals.arrivedAt(p, r.offset());
            if (arrived >= 0) {
              long topology = Math.max(0, arrived - r.timestamp());
              streams.add(topology);
              sink.add(Math.max(0, at - arrived));
              slices.get(slice)[1].add(topology);
            }
          }
        }
      }
    }
    long[] sorted = Arrays.copyOf(latencies, visible);
    Arrays.sort(sorted);
    List<Slice> timeline = new ArrayList<>();
    for (int i = 0; i < slices.size(); i++) {
      long[] all = slices.get(i)[0].sorted();
      long[] topology = slices.get(i)[1].sorted();
      timeline.add(new Slice(i * SLICE_MILLIS, all.length, Latencies.stageQuantile(all, 0.50), Latencies.stageQuantile(all, 0.99),
          Latencies.stageQuantile(topology, 0.50), Latencies.stageQuantile(topology, 0.99)));
    }
    return new Latencies(records, sorted, notVisible, streams.sorted(), sink.sorted(), timeline);
  }

  /**
   * The visible events produced in [startMillis, startMillis + SLICE_MILLIS) of the window: their count,
   * end-to-end p50 / p99 and the topology's share p50 / p99 (ms; null when none was measured).
   */
  record Slice(long startMillis, long events, Long p50Millis, Long p99Millis, Long topologyP50Millis, Long topologyP99Millis) {}

  /** Latencies of one stage, for the events whose model record the arrivals reader saw. */
  private static final class Split {
    private long[] millis = new long[1024];
    private int size;

    void add(long value) {
      if (size == millis.length) {
        millis = Arrays.copyOf(millis, size * 2);
      }
      millis[size++] = value;
    }

    long[] sorted() {
      long[] sorted = Arrays.copyOf(millis, size);
      Arrays.sort(sorted);
      return sorted;
    }
  }

  /** Sorted latencies (ms) of the visible events, and how many never became visible. */
  record Latencies(long records, long[] sortedMillis, long notVisible, long[] streamsMillis, long[] sinkMillis,
      List<Slice> timeline) {
    /** The q-quantile (nearest rank) of one stage's sorted latencies; null when none was measured. */
    static Long stageQuantile(long[] sorted, double q) {
      if (sorted.length == 0) {
        return null;
      }
      int index = (int) Math.max(0, Math.ceil(q * sorted.length) - 1);
      return sorted[Math.min(index, sorted.length - 1)];
    }

    /** The q-quantile (nearest rank) over all measured events, counting events never visible as infinitely late; null when it is one of those. */
    Long quantile(double q) {
      long n = records;
      if (n == 0) {
        return null;
      }
      long rank = (long) Math.ceil(q * n);
      int index = (int) Math.max(0, rank - 1);
      return index < sortedMillis.length ? sortedMillis[index] : null;
    }

    Long max() {
      return notVisible > 0 || sortedMillis.length == 0 ? null : sortedMillis[sortedMillis.length - 1];
    }
  }
}
