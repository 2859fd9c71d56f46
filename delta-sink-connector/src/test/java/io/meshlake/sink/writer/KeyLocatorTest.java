package io.meshlake.sink.writer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyLocatorTest {

  @TempDir Path dir;

  @Test
  void behavesLikeAMapThroughPutsRemovesAndGrowth() {
    Random random = new Random(5);
    Map<String, KeyLocator.Location> oracle = new HashMap<>();
    try (KeyLocator locator = new KeyLocator(dir.resolve("l.locator"), 16)) {
      for (int i = 0; i < 200_000; i++) {
        String ari = "ari:cloud:jira:w" + random.nextInt(7) + ":issue/" + random.nextInt(30_000);
        int op = random.nextInt(10);
        if (op < 6) {
          KeyLocator.Location l = new KeyLocator.Location(random.nextInt(100), random.nextInt(1_000_000), 1 + random.nextInt(4),
              random.nextInt(3), random.nextLong() & Long.MAX_VALUE);
          locator.put(ari, l);
          oracle.put(ari, l);
        } else if (op < 8) {
          locator.remove(ari);
          oracle.remove(ari);
        } else {
          assertThat(locator.get(ari)).isEqualTo(oracle.get(ari));
        }
        if (i % 20_000 == 0) {
          assertThat(locator.size()).isEqualTo(oracle.size());
        }
      }
      for (Map.Entry<String, KeyLocator.Location> e : oracle.entrySet()) {
        assertThat(locator.get(e.getKey())).isEqualTo(e.getValue());
      }
      assertThat(locator.size()).isEqualTo(oracle.size());
      assertThat(locator.get("ari:cloud:jira:nowhere:issue/1")).isNull();
    }
    assertThat(Files.exists(dir.resolve("l.locator"))).as("the file is removed on close").isFalse();
  }
}
