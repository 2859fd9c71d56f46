package io.meshlake.bench;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchConfigTest {

  @Test
  void everyBadSettingIsReportedAtOnceByName() {
    assertThatThrownBy(() -> new BenchConfig(0, 1_000, List.of("copy_on_write", "upsert"), EnumSet.allOf(BenchConfig.Phase.class),
        Path.of("x"), 0, 0, 5, 5, 0, 9, 0, Map.of("streams.commit.interval.ms", "1"), Map.of("compaction.max.byte", "1"), "lots", List.of("-Xmx2g", "UseG1GC"), false, Duration.ofMinutes(1), Duration.ZERO, 0, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContainingAll("--n must be at least 1", "unknown mode 'upsert'", "--produce-rate", "--freshness-seconds",
            "--freshness-flush-ms", "--flush-interval-ms", "--flush-max-records", "--tasks must be 1..4", "--stream-threads must be 1..4",
            "--streams-setting takes a Kafka Streams key without the 'streams.' prefix",
            "--sink-setting: 'compaction.max.byte' is not a setting of the sink", "--worker-heap",
            "set the worker's heap with --worker-heap, not -Xmx2g", "'UseG1GC' is not a JVM option", "--drain-timeout",
            "--baseline-passes must be 1..9");
  }

  @Test
  void mergePhasesNeedAMode() {
    assertThatThrownBy(() -> new BenchConfig(10, 10, List.of(), EnumSet.of(BenchConfig.Phase.MERGE), Path.of("x"), 10, 1, 100, 100, 10,
        1, 1, Map.of(), Map.of(), "1g", List.of(), false, Duration.ofMinutes(1), Duration.ofMinutes(1), 3, false))
        .hasMessageContaining("--merge-modes is empty");
  }

  @Test
  void sinkSettingsTakeTheConsumersOverridesButNothingElse() {
    new BenchConfig(10, 10, List.of("merge_on_read"), EnumSet.allOf(BenchConfig.Phase.class), Path.of("x"), 10, 1, 100, 100, 10,
        1, 1, Map.of(), Map.of("consumer.override.fetch.max.bytes", "2097152", "flush.idle.ms", "500"), "1g", List.of(), false,
        Duration.ofMinutes(1), Duration.ofMinutes(1), 3, false);
    assertThatThrownBy(() -> new BenchConfig(10, 10, List.of("merge_on_read"), EnumSet.allOf(BenchConfig.Phase.class), Path.of("x"),
        10, 1, 100, 100, 10, 1, 1, Map.of(), Map.of("fetch.max.bytes", "2097152"), "1g", List.of(), false, Duration.ofMinutes(1),
        Duration.ofMinutes(1), 3, false))
        .hasMessageContaining("'fetch.max.bytes' is not a setting of the sink nor a consumer.override.*");
  }

  @Test
  void theSmokePresetIsValid() {
    BenchConfig.smoke(Path.of("target/smoke"));
  }
}
