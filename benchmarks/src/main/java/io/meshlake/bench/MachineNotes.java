package io.meshlake.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What the run ran on: CPU, cores, memory, JDK, OS, the data directory's file system and how fast it
 * creates files, the load when it started.
 */
final class MachineNotes {

  private MachineNotes() {}

  static BenchResults.Machine collect(Path dataDir) {
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    return new BenchResults.Machine(cpuModel(), Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize(),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        disk(dataDir), os.getSystemLoadAverage());
  }

  private static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      try (Stream<String> lines = Files.lines(cpuinfo)) {
        return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
      } catch (IOException e) {
        return "unknown";
      }
    }
    return "unknown";
  }

  private static String disk(Path dir) {
    try {
      FileStore store = Files.getFileStore(dir);
      String space = String.format("%s (%s), %.0f GiB free of %.0f GiB", store.name(), store.type(),
          store.getUsableSpace() / (double) (1L << 30), store.getTotalSpace() / (double) (1L << 30));
      return space + "; " + fileCreation(dir);
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String fileCreation(Path dir) {
    try {
      return FileCreateProbe.run(dir).toString();
    } catch (IOException e) {
      return "file creation not timed (" + e.getMessage() + ")";
    }
  }
}
