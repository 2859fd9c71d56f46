package io.meshlake.local;

import java.io.PrintStream;
import java.time.Duration;

/** What the user sees while the stack comes up: one line per step, with the time it took. */
final class Progress {

  private final PrintStream out;
  private final long started = System.nanoTime();

  Progress(PrintStream out) {
    this.out = out;
  }

  <T> T step(String what, java.util.function.Supplier<T> action) {
    long t0 = System.nanoTime();
    out.printf("  %-58s", what + " ...");
    out.flush();
    T result = action.get();
    out.printf(" ok (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
    return result;
  }

  void step(String what, Runnable action) {
    step(what, () -> {
      action.run();
      return null;
    });
  }

  void line(String text) {
    out.println(text);
  }

  void line(String format, Object... args) {
    out.println(String.format(format, args));
  }

  Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - started);
  }

  PrintStream out() {
    return out;
  }
}
