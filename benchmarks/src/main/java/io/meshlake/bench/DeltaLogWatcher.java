package io.meshlake.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Follows a Delta table's log ({@code _delta_log/<version>.json}, the protocol's commit files) and keeps,
 * per commit, when it became visible and the {@code txn} offsets it records. A commit file appears
 * atomically (written aside, then linked into place), so its modification time is when readers could
 * first see the new snapshot: that is the time every "table contains offset X" figure uses, whenever the
 * watcher happens to poll. Commits are small; the watcher keeps them all.
 */
final class DeltaLogWatcher {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One commit of the table. */
  record Commit(long version, long visibleAtMillis, long commitTimestamp, Map<String, Long> txns, int adds, int removes,
      long addedRows) {}

  /** The txn offsets of one appId, in commit order (they only grow), with the time each became visible. */
  private static final class Progression {
    long[] offsets = new long[16];
    long[] times = new long[16];
    int size;

    void add(long offset, long time) {
      if (size == offsets.length) {
        offsets = java.util.Arrays.copyOf(offsets, size * 2);
        times = java.util.Arrays.copyOf(times, size * 2);
      }
      offsets[size] = offset;
      times[size] = time;
      size++;
    }

    long latest() {
      return size == 0 ? -1 : offsets[size - 1];
    }

    /** When the first commit with an offset >= the given one became visible, or -1. */
    long firstCovering(long offset) {
      int lo = 0;
      int hi = size;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (offsets[mid] >= offset) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo < size ? times[lo] : -1;
    }
  }

  private final Path log;
  private final List<Commit> commits = new ArrayList<>();
  private final Map<String, Progression> byAppId = new HashMap<>();
  private long nextVersion;

  DeltaLogWatcher(Path tableDirectory) {
    this.log = tableDirectory.resolve("_delta_log");
  }

  /** Reads the commits that appeared since the last call. */
  synchronized void refresh() {
    while (true) {
      Path file = log.resolve(String.format("%020d.json", nextVersion));
      long visibleAt;
      List<String> lines;
      try {
        visibleAt = Files.getLastModifiedTime(file).toMillis();
        lines = readLines(file);
      } catch (NoSuchFileException notYet) {
        return;
      } catch (IOException e) {
        throw new UncheckedIOException("could not read " + file, e);
      }
      commits.add(parse(nextVersion, visibleAt, lines));
      nextVersion++;
    }
  }

  private static List<String> readLines(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank()) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  private Commit parse(long version, long visibleAt, List<String> lines) {
    Map<String, Long> txns = new HashMap<>();
    long timestamp = -1;
    int adds = 0;
    int removes = 0;
    long addedRows = 0;
    for (String line : lines) {
      JsonNode action;
      try {
        action = JSON.readTree(line);
      } catch (IOException e) {
        throw new UncheckedIOException("commit " + version + " of " + log + " is not JSON lines", e);
      }
      if (action.has("txn")) {
        JsonNode txn = action.get("txn");
        txns.put(txn.get("appId").asText(), txn.get("version").asLong());
      } else if (action.has("commitInfo")) {
        timestamp = action.get("commitInfo").path("timestamp").asLong(-1);
      } else if (action.has("add")) {
        adds++;
        String stats = action.get("add").path("stats").asText("");
        if (!stats.isEmpty()) {
          try {
            addedRows += JSON.readTree(stats).path("numRecords").asLong(0);
          } catch (IOException e) {
            throw new UncheckedIOException("bad stats in commit " + version + " of " + log, e);
          }
        }
      } else if (action.has("remove")) {
        removes++;
      }
    }
    txns.forEach((appId, offset) -> byAppId.computeIfAbsent(appId, k -> new Progression()).add(offset, visibleAt));
    return new Commit(version, visibleAt, timestamp, Map.copyOf(txns), adds, removes, addedRows);
  }

  /** The latest offset recorded for the appId, or -1. */
  synchronized long offset(String appId) {
    Progression p = byAppId.get(appId);
    return p == null ? -1 : p.latest();
  }

  /** When the first commit recording at least {@code offset} for the appId became visible, or -1 when none has. */
  synchronized long visibleAt(String appId, long offset) {
    Progression p = byAppId.get(appId);
    return p == null ? -1 : p.firstCovering(offset);
  }

  /**
   * When the table first held every target (appId → offset) at once; a target below 0 needs nothing.
   * Empty while some target is not covered yet.
   */
  synchronized OptionalLong coveredAt(Map<String, Long> targets) {
    long at = -1;
    for (Map.Entry<String, Long> target : targets.entrySet()) {
      if (target.getValue() < 0) {
        continue;
      }
      long t = visibleAt(target.getKey(), target.getValue());
      if (t < 0) {
        return OptionalLong.empty();
      }
      at = Math.max(at, t);
    }
    return OptionalLong.of(at);
  }

  /** Commits that became visible in [from, to] (epoch millis). */
  synchronized List<Commit> commitsBetween(long fromMillis, long toMillis) {
    return commits.stream().filter(c -> c.visibleAtMillis() >= fromMillis && c.visibleAtMillis() <= toMillis).toList();
  }

  synchronized int commitCount() {
    return commits.size();
  }
}
