package io.meshlake.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * How long creating a small file takes in the data directory. Append sinks create a data file per
 * workspace per commit (about 100 per batch here), so a file system that is slow to create files
 * shows in raw append; on this shared machine the cost varied from ~20 µs to ~700 µs per file
 * between directories of the same disk. Files go into several new directories, as the tables'
 * partition directories are new, and are deleted afterwards.
 */
final class FileCreateProbe {

  static final int DIRECTORIES = 20;
  static final int FILES_PER_DIRECTORY = 10;

  /** Median and 90th percentile, in microseconds, of creating, writing 1 KiB to and closing a new file. */
  record Result(long medianMicros, long p90Micros) {
    @Override
    public String toString() {
      return String.format("creating a 1 KiB file: median %,d µs, p90 %,d µs (%d files in %d new directories)", medianMicros,
          p90Micros, DIRECTORIES * FILES_PER_DIRECTORY, DIRECTORIES);
    }
  }

  private FileCreateProbe() {}

  static Result run(Path dataDir) throws IOException {
    Path probe = Files.createDirectories(dataDir.resolve(".file-create-probe"));
    byte[] content = new byte[1024];
    long[] nanos = new long[DIRECTORIES * FILES_PER_DIRECTORY];
    int n = 0;
    try {
      for (int d = 0; d < DIRECTORIES; d++) {
        Path dir = Files.createDirectory(probe.resolve("d" + d));
        for (int f = 0; f < FILES_PER_DIRECTORY; f++) {
          long t0 = System.nanoTime();
          try (OutputStream out = Files.newOutputStream(dir.resolve("f" + f), StandardOpenOption.CREATE_NEW)) {
            out.write(content);
          }
          nanos[n++] = System.nanoTime() - t0;
        }
      }
    } finally {
      try (Stream<Path> all = Files.walk(probe)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
    Arrays.sort(nanos);
    return new Result(PipelineHarness.nearestRank(nanos, 0.5) / 1000, PipelineHarness.nearestRank(nanos, 0.9) / 1000);
  }
}
