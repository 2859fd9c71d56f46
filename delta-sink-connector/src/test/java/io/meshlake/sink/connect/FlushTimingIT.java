package io.meshlake.sink.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.meshlake.table.storage.LocalTableStore;
import io.meshlake.testkit.KafkaTestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A burst's last batch is committed when it idles, on a worker with Connect's default
 * offset.flush.interval.ms (60 s): Connect polls that long when no records come, so without the task
 * asking to be called back the burst's end would wait for the worker's offset commit.
 */
class FlushTimingIT {

  /** Connect's default offset.flush.interval.ms. */
  static final long WORKER_OFFSET_FLUSH_MS = 60_000;

  static SinkHarness harness;
  @TempDir static Path lake;

  @BeforeAll
  static void start() {
    harness = new SinkHarness(WORKER_OFFSET_FLUSH_MS);
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  @Test
  void anIdleBatchIsCommittedLongBeforeTheWorkersOffsetFlush() throws Exception {
    String topic = KafkaTestCluster.uniqueTopic("facsimile.jira");
    String dlq = KafkaTestCluster.uniqueTopic("dlq.jira");
    harness.kafka.createTopic(topic, 1);
    Map<String, String> config = harness.baseConfig(topic, lake.toString(), dlq);
    config.put("writer.type", "Append");
    config.put("domain", "jira");
    config.put("tasks.max", "1");
    // Only idleness can make these batches due: neither the interval nor the count is reached.
    config.put("flush.interval.ms", Long.toString(10 * WORKER_OFFSET_FLUSH_MS));
    config.put("flush.idle.ms", "1000");
    harness.deploy("raw-idle", config);
    LocalTableStore store = new LocalTableStore(lake);

    // Two bursts: the second arrives while the task is already polling with nothing to read.
    for (int burst = 0; burst < 2; burst++) {
      try (KafkaProducer<byte[], byte[]> producer = harness.kafka.producer()) {
        for (int i = 0; i < 20; i++) {
          int n = burst * 20 + i;
          Events.send(producer, harness.encoder, topic, Events.envelope("w" + (n % 2), "I-" + n, 1, 1, 0, false,
              Events.issue("I-" + n, 1, List.of())));
        }
        producer.flush();
      }
      long sent = System.nanoTime();
      int expected = (burst + 1) * 20;
      // Far below the worker's 60 s, far above the 1 s idle time on a loaded machine.
      await().atMost(Duration.ofMillis(WORKER_OFFSET_FLUSH_MS / 2)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
        harness.assertNoFailedTask("raw-idle");
        assertThat(AppendSinkIT.rows(store, "raw_jira_issue")).hasSize(expected);
      });
      long tookMillis = (System.nanoTime() - sent) / 1_000_000;
      assertThat(tookMillis).as("burst %d visible after %d ms", burst, tookMillis).isLessThan(WORKER_OFFSET_FLUSH_MS / 2);
    }
  }
}
