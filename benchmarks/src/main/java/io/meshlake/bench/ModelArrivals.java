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
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When each model record of the freshness phase became readable (read_committed, so after the
 * streams topology's transaction committed it). Splits an event's latency into the streams
 * topology's share (produce to readable model record) and the sink's (readable to visible in a
 * snapshot). Reads in its own thread while the phase runs; the times are this reader's poll times,
 * so they include its own fetch wait (up to its {@code fetch.max.wait.ms}, 50 ms).
 */
final class ModelArrivals implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final long[] from;
  private final long[][] arrivals;
  private final long[] read;
  private final Thread thread;
  private volatile boolean stopped;
  private volatile RuntimeException failure;

  ModelArrivals(String bootstrapServers, String topic, long[] from) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-model-arrivals");
    this.consumer = new KafkaConsumer<>(props);
    this.from = from.clone();
    this.arrivals = new long[from.length][1024];
    this.read = new long[from.length];
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < from.length; p++) {
      partitions.add(new TopicPartition(topic, p));
    }
    consumer.assign(partitions);
    for (int p = 0; p < from.length; p++) {
      consumer.seek(partitions.get(p), from[p]);
    }
    this.thread = new Thread(this::run, "bench-model-arrivals");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (!stopped) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
          record(r.partition(), r.offset(), System.currentTimeMillis());
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      synchronized (this) {
        failure = e;
        notifyAll();
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private synchronized void record(int partition, long offset, long at) {
    int index = Math.toIntExact(offset - from[partition]);
    if (index < 0) {
      return;
    }
    long[] times = arrivals[partition];
    if (index >= times.length) {
      times = Arrays.copyOf(times, Math.max(times.length * 2, index + 1));
      arrivals[partition] = times;
    }
    times[index] = at;
    read[partition] = Math.max(read[partition], index + 1L);
    notifyAll();
  }

  /** Waits (up to the timeout) until every partition was read past {@code to[p]}; false when it was not. */
  synchronized boolean awaitRead(long[] to, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!caughtUp(to)) {
      if (failure != null) {
        throw failure;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      // Woken by every record the reader stores, and by its failure.
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  private synchronized boolean caughtUp(long[] to) {
    for (int p = 0; p < to.length; p++) {
      if (to[p] >= from[p] && from[p] + read[p] <= to[p]) {
        return false;
      }
    }
    return true;
  }

  /** When the record became readable (epoch ms), or -1 when this reader did not see it. */
  synchronized long arrivedAt(int partition, long offset) {
    long index = offset - from[partition];
    if (index < 0 || index >= read[partition]) {
      return -1;
    }
    long at = arrivals[partition][(int) index];
    return at == 0 ? -1 : at;
  }

  @Override
  public void close() {
    stopped = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
