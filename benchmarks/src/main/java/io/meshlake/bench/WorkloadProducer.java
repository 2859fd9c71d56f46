package io.meshlake.bench;

import io.meshlake.contracts.wire.ProtobufEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces workload events to the ingress topic the way a publisher does: keyed by resource ARI,
 * Confluent-framed through the registry, lz4, idempotent with acks=all. Every acknowledged record goes
 * into the {@link ProducedLog}; every event into the {@link Oracle}.
 */
final class WorkloadProducer implements AutoCloseable {

  private final String topic;
  private final ProtobufEncoder encoder;
  private final ProducedLog log;
  private final Oracle oracle;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AtomicReference<Exception> failure = new AtomicReference<>();

  WorkloadProducer(String bootstrapServers, String topic, ProtobufEncoder encoder, ProducedLog log, Oracle oracle) {
    this.topic = topic;
    this.encoder = encoder;
    this.log = log;
    this.oracle = oracle;
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-workload-producer");
    this.producer = new KafkaProducer<>(props);
  }

  /** Produces every event as fast as the producer accepts them; returns how many. */
  long produce(Iterator<WorkloadEvent> events, Progress progress) {
    long sent = 0;
    while (events.hasNext()) {
      send(events.next());
      if (++sent % 10_000 == 0) {
        progress.update(sent);
      }
    }
    flush();
    progress.done(sent);
    return sent;
  }

  /** The shortest sleep between sends at a fixed rate: events are at most this late, never early. */
  static final long PACING_TICK_NANOS = 1_000_000;

  /** An event ready to send: the oracle holds it and its value is framed. */
  record Prepared(byte[] key, byte[] value, long version) {}

  /**
   * Generates, frames and hands to the oracle the events of a timed window before it starts, so the
   * window's CPU goes to the pipeline and not to the load generator: in a deployment the publishers run
   * elsewhere. Holds them in memory (about 850 bytes each).
   */
  List<Prepared> prepare(Iterator<WorkloadEvent> events, Progress progress) {
    List<Prepared> prepared = new ArrayList<>();
    while (events.hasNext()) {
      prepared.add(prepare(events.next()));
      if (prepared.size() % 10_000 == 0) {
        progress.update(prepared.size());
      }
    }
    progress.done(prepared.size());
    return prepared;
  }

  private Prepared prepare(WorkloadEvent event) {
    oracle.accept(event.envelope());
    return new Prepared(event.keyBytes(), encoder.encode(topic, event.envelope()), event.version());
  }

  /**
   * Produces at a fixed rate: event i is handed to the producer at start + i / rate (never earlier),
   * so the record timestamps are the produce times the freshness figures start from. The thread wakes
   * at most once per {@link #PACING_TICK_NANOS} and then sends every event already due: woken for each
   * event (every 100 µs at 10,000/s) it took a tenth to a fifth of a core from the pipeline under test.
   */
  long produceAtRate(List<Prepared> events, double eventsPerSecond, Progress progress) {
    long started = System.nanoTime();
    long sent = 0;
    for (Prepared event : events) {
      long due = started + (long) (sent * 1e9 / eventsPerSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(Math.max(wait, PACING_TICK_NANOS));
      }
      send(event);
      if (++sent % 1_000 == 0) {
        progress.update(sent);
      }
    }
    flush();
    progress.done(sent);
    return sent;
  }

  private void send(WorkloadEvent event) {
    send(prepare(event));
  }

  private void send(Prepared event) {
    Exception failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("producing to " + topic + " failed: " + failed, failed);
    }
    byte[] key = event.key();
    int valueBytes = event.value().length;
    long version = event.version();
    producer.send(new ProducerRecord<>(topic, key, event.value()), (metadata, error) -> {
      if (error != null) {
        failure.compareAndSet(null, error);
      } else {
        log.record(metadata.partition(), metadata.offset(), new String(key, StandardCharsets.UTF_8), version, valueBytes);
      }
    });
  }

  void flush() {
    producer.flush();
    Exception failed = failure.get();
    if (failed != null) {
      throw new IllegalStateException("producing to " + topic + " failed: " + failed, failed);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}
