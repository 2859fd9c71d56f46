package io.meshlake.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Progress lines for long runs: phase, how much is done of how much, the recent rate and the time
 * left at the rate so far. At most one line per interval, plus the final one.
 */
final class Progress {

  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  static volatile PrintStream out = System.out;
  static volatile Duration interval = Duration.ofSeconds(10);

  private final String phase;
  private final long total;
  private final String unit;
  private final long startedNanos = System.nanoTime();
  private long lastPrintNanos = startedNanos;
  private long lastDone;

  private Progress(String phase, long total, String unit) {
    this.phase = phase;
    this.total = total;
    this.unit = unit;
  }

  /** Starts reporting a phase of {@code total} units (0 or less when the total is unknown). */
  static Progress start(String phase, long total, String unit) {
    Progress p = new Progress(phase, total, unit);
    say("%s: started%s", phase, total > 0 ? String.format(Locale.ROOT, " (%,d %s)", total, unit) : "");
    return p;
  }

  /** One free-form line, stamped with the time. */
  static void say(String format, Object... args) {
    out.println("[" + LocalTime.now().format(CLOCK) + "] " + String.format(Locale.ROOT, format, args));
  }

  void update(long done) {
    long now = System.nanoTime();
    if (now - lastPrintNanos >= interval.toNanos()) {
      print(done, now, false);
    }
  }

  void done(long done) {
    print(done, System.nanoTime(), true);
  }

  private void print(long done, long now, boolean last) {
    double recentSeconds = (now - lastPrintNanos) / 1e9;
    double totalSeconds = (now - startedNanos) / 1e9;
    double recentRate = recentSeconds > 0 ? (done - lastDone) / recentSeconds : 0;
    double overallRate = totalSeconds > 0 ? done / totalSeconds : 0;
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "%s: %,d", phase, done));
    if (total > 0) {
      line.append(String.format(Locale.ROOT, " / %,d %s (%.1f%%)", total, unit, 100.0 * done / total));
    } else {
      line.append(' ').append(unit);
    }
    line.append(String.format(Locale.ROOT, ", %,.0f %s/s", last ? overallRate : recentRate, unit));
    if (last) {
      line.append(String.format(Locale.ROOT, ", done in %s", duration(totalSeconds)));
    } else if (total > 0 && overallRate > 0 && done < total) {
      line.append(", ETA ").append(duration((total - done) / overallRate));
    }
    say("%s", line);
    lastPrintNanos = now;
    lastDone = done;
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : String.format(Locale.ROOT, "%ds", s);
  }
}
