package io.meshlake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark at a small N, every phase, on the real pipeline (broker, registry, streams topology, a
 * Connect worker JVM running the sink): the refined tables must equal the oracle and the raw table must
 * hold each produced record once. Correctness only: no figure is asserted.
 */
class BenchSmokeIT {

  @TempDir Path dir;

  @Test
  void theSmallRunEndsWithTablesEqualToTheOracle() {
    BenchResults results = PipelineHarness.run(BenchConfig.smoke(dir.resolve("run")), "BenchSmokeIT");
    String report = ResultsReport.markdown(results);
    System.out.println(report);

    assertThat(results.failure).as(report).isNull();
    assertThat(results.correctness.raw()).as(report).isNotNull();
    assertThat(results.correctness.raw().ok()).as(report).isTrue();
    assertThat(results.correctness.raw().rows()).isEqualTo(results.workload.totalRecords());
    assertThat(results.correctness.refined()).as("copy_on_write is always available").isNotEmpty();
    assertThat(results.correctness.refined()).allSatisfy(check -> assertThat(check.ok()).as(report).isTrue());
    assertThat(results.correctness.deadLetters()).isZero();
    assertThat(results.ok()).isTrue();
    // Every baseline pass read the whole change stream, and the baseline is their median.
    assertThat(results.baselinePasses).hasSize(3).allSatisfy(p -> assertThat(p.records()).isEqualTo(results.workload.changeRecords()));
    assertThat(results.baseline).isEqualTo(BaselineConsumer.median(results.baselinePasses));
    assertThat(report).contains("(the median of 3 passes)", "Baseline passes, in the order they ran:");
    // The freshness timeline slices every visible event once.
    assertThat(results.freshness).isNotEmpty().allSatisfy(f -> assertThat(
        f.timeline().stream().mapToLong(FreshnessProbe.Slice::events).sum()).as(f.mode()).isEqualTo(f.visible()));
  }
}
