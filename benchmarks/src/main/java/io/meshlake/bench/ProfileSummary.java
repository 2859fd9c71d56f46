package io.meshlake.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top frames of the writer's CPU samples ({@code jdk.ExecutionSample} of a JFR recording) in a time
 * window: where the leaf frames are (self) and which methods are on the stack (total), each as a share
 * of the window's samples — what {@code jfr print --events jdk.ExecutionSample} shows, counted.
 *
 * <p>The "total" list leaves out the JDK's and Connect's own plumbing, which every sample goes through.
 *
 * <p>Connect runs tasks on pool threads and renames them while a task runs, and JFR keeps a thread's
 * first name, so threads are attributed by what they do: a thread belongs to a window's connector when
 * one of its samples in the window has the connector's writer class on the stack; then all its samples
 * there count (decoding and polling included).
 */
final class ProfileSummary {

  /** A method and its share of the samples. */
  record Frame(String method, long samples, double share) {}

  /** The profile of one window. */
  record Profile(String window, String writerClass, long samples, List<Frame> self, List<Frame> total) {}

  /** A named time window (epoch millis) and the writer class whose threads to count. */
  record Window(String name, long fromMillis, long toMillis, String writerClass) {}

  private ProfileSummary() {}

  static List<Profile> summarize(Path recording, List<Window> windows, int top) {
    int n = windows.size();
    List<Set<Long>> threads = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      threads.add(new HashSet<>());
    }
    forEachSample(recording, (at, thread, frames) -> {
      for (int i = 0; i < n; i++) {
        Window w = windows.get(i);
        if (at >= w.fromMillis() && at <= w.toMillis() && frames.stream().anyMatch(f -> f.startsWith(w.writerClass() + "."))) {
          threads.get(i).add(thread);
        }
      }
    });
    long[] samples = new long[n];
    List<Map<String, Long>> self = new ArrayList<>();
    List<Map<String, Long>> total = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      self.add(new HashMap<>());
      total.add(new HashMap<>());
    }
    forEachSample(recording, (at, thread, frames) -> {
      for (int i = 0; i < n; i++) {
        Window w = windows.get(i);
        if (at < w.fromMillis() || at > w.toMillis() || !threads.get(i).contains(thread)) {
          continue;
        }
        samples[i]++;
        self.get(i).merge(frames.get(0), 1L, Long::sum);
        for (String method : new HashSet<>(frames)) {
          if (!plumbing(method)) {
            total.get(i).merge(method, 1L, Long::sum);
          }
        }
      }
    });
    List<Profile> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Profile(windows.get(i).name(), windows.get(i).writerClass(), samples[i], top(self.get(i), samples[i], top),
          top(total.get(i), samples[i], top)));
    }
    return out;
  }

  private interface SampleVisitor {
    void visit(long atMillis, long threadId, List<String> frames);
  }

  private static void forEachSample(Path recording, SampleVisitor visitor) {
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!"jdk.ExecutionSample".equals(event.getEventType().getName())) {
          continue;
        }
        RecordedThread thread = event.getThread("sampledThread");
        RecordedStackTrace stack = event.getStackTrace();
        if (thread == null || stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        List<String> frames = new ArrayList<>(stack.getFrames().size());
        for (RecordedFrame f : stack.getFrames()) {
          frames.add(name(f));
        }
        visitor.visit(event.getStartTime().toEpochMilli(), thread.getJavaThreadId(), frames);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the JFR recording " + recording, e);
    }
  }

  /** Frames every task sample goes through (thread pool, Connect's task loop, lambdas): no information on the stack list. */
  static boolean plumbing(String method) {
    return method.startsWith("java.") || method.startsWith("jdk.") || method.startsWith("sun.")
        || method.startsWith("org.apache.kafka.connect.runtime.") || method.contains("$$Lambda");
  }

  private static String name(RecordedFrame frame) {
    RecordedMethod m = frame.getMethod();
    if (m == null) {
      return "<unknown>";
    }
    String type = m.getType() == null ? "?" : m.getType().getName();
    return type + "." + m.getName();
  }

  private static List<Frame> top(Map<String, Long> counts, long samples, int top) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()))
        .limit(top)
        .map(e -> new Frame(e.getKey(), e.getValue(), samples == 0 ? 0 : (double) e.getValue() / samples))
        .toList();
  }
}
