package io.meshlake.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The writer JVM's heap, from its GC log ({@code -Xlog:gc:file=...:timemillis,uptime}): every collection
 * logs {@code before->after(committed)}. The peak after a collection is the most the writer kept live
 * (the figure to hold against a heap budget); the peak before one is the most it had allocated and
 * not yet collected; the peak committed is what the JVM took from the OS; the pauses are the time the
 * collector stopped the writer. A full collection leaves only live objects, so what it leaves is the
 * writer's live data at that moment.
 */
final class HeapProbe {

  private static final Pattern EVENT = Pattern.compile(
      "\\[(\\d+)ms\\].*?GC\\(\\d+\\) (Pause .*?) (\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\) ([\\d.]+)ms");

  /** One collection. */
  record Collection(long atMillis, String kind, long beforeBytes, long afterBytes, long committedBytes, double pauseMillis) {}

  /** Peaks over a window, and the time its collections stopped the application; zero collections means none. */
  record Peaks(int collections, long maxAfterBytes, long maxBeforeBytes, long maxCommittedBytes, int fullCollections,
      long pauseMillis, long fullPauseMillis, long maxLiveAfterFullBytes) {}

  private HeapProbe() {}

  static List<Collection> read(Path gcLog) {
    if (!Files.exists(gcLog)) {
      return List.of();
    }
    List<Collection> out = new ArrayList<>();
    try (Stream<String> lines = Files.lines(gcLog)) {
      lines.forEach(line -> {
        Collection c = parse(line);
        if (c != null) {
          out.add(c);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + gcLog, e);
    }
    return out;
  }

  static Collection parse(String line) {
    Matcher m = EVENT.matcher(line);
    if (!m.find()) {
      return null;
    }
    return new Collection(Long.parseLong(m.group(1)), m.group(2).trim(), bytes(m.group(3), m.group(4)), bytes(m.group(5), m.group(6)),
        bytes(m.group(7), m.group(8)), Double.parseDouble(m.group(9)));
  }

  static Peaks peaks(List<Collection> collections, long fromMillis, long toMillis) {
    int n = 0;
    int full = 0;
    long after = 0;
    long before = 0;
    long committed = 0;
    double pauses = 0;
    double fullPauses = 0;
    long liveAfterFull = 0;
    for (Collection c : collections) {
      if (c.atMillis() < fromMillis || c.atMillis() > toMillis) {
        continue;
      }
      n++;
      pauses += c.pauseMillis();
      if (c.kind().startsWith("Pause Full")) {
        full++;
        fullPauses += c.pauseMillis();
        liveAfterFull = Math.max(liveAfterFull, c.afterBytes());
      }
      after = Math.max(after, c.afterBytes());
      before = Math.max(before, c.beforeBytes());
      committed = Math.max(committed, c.committedBytes());
    }
    return new Peaks(n, after, before, committed, full, Math.round(pauses), Math.round(fullPauses), liveAfterFull);
  }

  private static long bytes(String value, String unit) {
    long v = Long.parseLong(value);
    return switch (unit) {
      case "K" -> v << 10;
      case "M" -> v << 20;
      case "G" -> v << 30;
      default -> throw new IllegalArgumentException(unit);
    };
  }
}
