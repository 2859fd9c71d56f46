package io.meshlake.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCreateProbeTest {

  @TempDir
  Path dataDir;

  @Test
  void timesFileCreationAndLeavesNothingBehind() throws IOException {
    Files.writeString(dataDir.resolve("bench.log"), "the run's own files stay");
    FileCreateProbe.Result result = FileCreateProbe.run(dataDir);
    assertThat(result.p90Micros()).isGreaterThanOrEqualTo(result.medianMicros());
    assertThat(result.medianMicros()).isGreaterThanOrEqualTo(0);
    assertThat(result.toString()).contains("creating a 1 KiB file: median").contains("200 files in 20 new directories");
    try (Stream<Path> left = Files.list(dataDir)) {
      assertThat(left).containsExactly(dataDir.resolve("bench.log"));
    }
  }
}
