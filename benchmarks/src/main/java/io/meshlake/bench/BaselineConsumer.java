package io.meshlake.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.meshlake.contracts.ContractTypes;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufDecoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The same-run baseline: a plain consumer reading a range of the ingress topic and decoding every
 * envelope as a sink must (Confluent frame checked against the registry, {@code FacsimileRecord}, the
 * entity in its {@code Any}), writing nothing. Consumer settings are the client defaults, as the sink's.
 */
final class BaselineConsumer {

  /** Records decoded, payload bytes read, and the time from reading the first record to decoding the last. */
  record Result(long records, long bytes, long millis) {
    double eventsPerSecond() {
      return millis == 0 ? 0 : records * 1000.0 / millis;
    }
  }

  /**
   * The pass with the median rate (of an even count, the slower of the two middle ones): the
   * baseline a run's ratios divide by, steadier than any single short pass.
   */
  static Result median(List<Result> passes) {
    if (passes.isEmpty()) {
      throw new IllegalArgumentException("no baseline pass to take the median of");
    }
    List<Result> sorted = new ArrayList<>(passes);
    sorted.sort(Comparator.comparingDouble(Result::eventsPerSecond));
    return sorted.get((sorted.size() - 1) / 2);
  }

  private final String bootstrapServers;
  private final String registryUrl;

  BaselineConsumer(String bootstrapServers, String registryUrl) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
  }

  /** Reads partition p of the topic from {@code from[p]} up to {@code to[p]} (exclusive), decoding each record. */
  Result run(String topic, long[] from, long[] to, Progress progress) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-baseline");
    ProtobufDecoder<FacsimileRecord> decoder = new ProtobufDecoder<>(new SchemaRegistryClient(registryUrl),
        FacsimileRecord.getDefaultInstance());
    long expected = 0;
    List<TopicPartition> partitions = new ArrayList<>();
    for (int p = 0; p < from.length; p++) {
      if (to[p] > from[p]) {
        partitions.add(new TopicPartition(topic, p));
        expected += to[p] - from[p];
      }
    }
    long records = 0;
    long bytes = 0;
    long checksum = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      consumer.assign(partitions);
      for (TopicPartition tp : partitions) {
        consumer.seek(tp, from[tp.partition()]);
      }
      long waitingSince = System.nanoTime();
      long started = -1;
      long last = waitingSince;
      while (records < expected) {
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
        if (started < 0 && !polled.isEmpty()) {
          started = System.nanoTime(); // timed from the first record read, as the sink's stages are
        }
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          if (r.offset() >= to[r.partition()]) {
            continue;
          }
          FacsimileRecord envelope = decoder.decode(r.value()).message();
          try {
            checksum += ContractTypes.unpack(envelope.getEntity()).getSerializedSize() + envelope.getVersion();
          } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("record " + r.partition() + "@" + r.offset() + " has an undecodable payload", e);
          }
          records++;
          bytes += r.serializedValueSize();
          last = System.nanoTime();
        }
        progress.update(records);
        if (System.nanoTime() - last > Duration.ofMinutes(2).toNanos()) {
          throw new IllegalStateException("the baseline consumer read nothing for 2 minutes at " + records + " of " + expected);
        }
      }
      progress.done(records);
      if (checksum == 42) {
        Progress.say("(checksum %d keeps the decoding from being optimized away)", checksum);
      }
      return new Result(records, bytes, started < 0 ? 0 : (last - started) / 1_000_000);
    }
  }
}
