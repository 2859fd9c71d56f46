package io.meshlake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SizeComparisonTest {

  static BenchResults run(long n, long medianMillis, long p90Millis) {
    return run(n, medianMillis, p90Millis, medianMillis, null);
  }

  static BenchResults run(long n, long medianMillis, long p90Millis, double meanMillis, Long mergeMedianMillis) {
    BenchResults r = new BenchResults();
    r.config = new BenchConfig(n, 1_000_000, List.of("merge_on_read"), EnumSet.allOf(BenchConfig.Phase.class), Path.of("x"), 10_000,
        60, 1_000, 10_000, 50_000, 4, 1, Map.of(), Map.of(), "1g", List.of(), false, Duration.ofMinutes(1), Duration.ofMinutes(1), 3, false);
    BenchResults.BatchStats full = new BenchResults.BatchStats(16, 300, medianMillis, p90Millis, 3_000, meanMillis, 50_000, null,
        mergeMedianMillis);
    r.merges.add(new BenchResults.Merge("merge_on_read", true, null, new BenchResults.Throughput(1_010_012, 12_000, 84_167, 0.172), 1_000_000,
        full, full, null, 0.8, null, null, null));
    return r;
  }

  @Test
  void theScalingTargetComparesTheMedianBatchAt10MWithThatAt1M() {
    String met = SizeComparison.comparison(List.of(run(10_000_000, 1_060, 1_654), run(1_000_000, 899, 2_875)));
    assertThat(met)
        .contains("| merge_on_read | 1,000,000 | 84,167 | 0.172 | 16 | 899 ms | 2,875 ms | 899 ms | – | 1.00 × | 1.00 × | 1.00 × | – |")
        .contains("| merge_on_read | 10,000,000 | 84,167 | 0.172 | 16 | 1,060 ms | 1,654 ms | 1,060 ms | – | 1.18 × | 0.58 × | 1.18 × | – |")
        .contains("median 1,060 ms at 10M / 899 ms at 1M = 1.18 × (p90 0.58 ×, mean 1.18 ×, merge part –) | met |");

    String missed = SizeComparison.comparison(List.of(run(1_000_000, 583, 2_576), run(10_000_000, 1_060, 1_654)));
    assertThat(missed).contains("= 1.82 × (p90 0.64 ×, mean 1.82 ×, merge part –) | **missed** |");
  }

  @Test
  void theMeanAndTheMergePartAreShownBesideTheMedianWithoutChangingTheVerdict() {
    String report = SizeComparison.comparison(List.of(run(1_000_000, 607, 2_829, 1_400.0, 430L), run(10_000_000, 955, 2_037, 1_130.0, 408L)));
    assertThat(report)
        .contains("| merge_on_read | 10,000,000 | 84,167 | 0.172 | 16 | 955 ms | 2,037 ms | 1,130 ms | 408 ms | 1.57 × | 0.72 × | 0.81 × | 0.95 × |")
        .contains("= 1.57 × (p90 0.72 ×, mean 0.81 ×, merge part 0.95 ×) | **missed** |");
  }

  @Test
  void withoutBothSizesTheTargetIsNotJudged() {
    String report = SizeComparison.comparison(List.of(run(100_000, 400, 900), run(300_000, 500, 1_000)));
    assertThat(report).contains("| merge_on_read | 300,000 | 84,167 | 0.172 | 16 | 500 ms | 1,000 ms | 500 ms | – | 1.25 × | 1.11 × | 1.25 × | – |")
        .contains("needs `--n 1000000,10000000` with full batches at both | – |")
        .doesNotContain("| met |").doesNotContain("missed");
  }

  @Test
  void aSizeListedTwiceIsRefusedAsABadOption(@org.junit.jupiter.api.io.TempDir Path dir) {
    assertThat(new picocli.CommandLine(new BenchMain()).execute("--n", "1000,1000", "--data-dir", dir.resolve("run").toString()))
        .isEqualTo(2);
    assertThat(dir.resolve("run")).as("nothing ran, not even the log").doesNotExist();
  }
}
