package io.meshlake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeQueryConfigTest {

  @TempDir Path root;

  @Test
  void defaultsAreValidAndTheRootIsNormalized() {
    LakeQueryConfig config = LakeQueryConfig.forRoot(root.resolve("."));
    assertThat(config.tableRoot()).isEqualTo(root.toAbsolutePath().normalize());
    assertThat(config.maxRows()).isEqualTo(10_000);
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void eachBadSettingIsRefusedWithItsName() {
    LakeQueryConfig config = LakeQueryConfig.forRoot(root);
    assertThatThrownBy(() -> LakeQueryConfig.forRoot(root.resolve("nope"))).hasMessage("tableRoot " + root.resolve("nope") + " is not a directory");
    assertThatThrownBy(() -> config.withMaxRows(0)).hasMessage("maxRows must be between 1 and 1000000, got 0");
    assertThatThrownBy(() -> config.withTimeout(Duration.ofMillis(5))).hasMessage("timeout must be between 100ms and 1h, got PT0.005S");
    assertThatThrownBy(() -> config.withMaxConcurrentQueries(0)).hasMessage("maxConcurrentQueries must be between 1 and 64, got 0");
    assertThatThrownBy(() -> config.withMemoryLimit("lots")).hasMessage("memoryLimit must be a size such as 512MB or 2GB, got 'lots'");
    assertThatThrownBy(() -> config.withMemoryLimit("1GB'; SET x=1")).hasMessageStartingWith("memoryLimit must be a size");
    assertThatThrownBy(() -> config.withThreads(0)).hasMessage("threads must be between 1 and 64, got 0");
    assertThatThrownBy(() -> config.withMaxScanBytes(0)).hasMessage("maxScanBytes must be positive, got 0");
    assertThat(config.withMemoryLimit(" 512 MiB ").memoryLimit()).isEqualTo("512 MiB");
  }
}
