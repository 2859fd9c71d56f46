package io.meshlake.streams;

import java.util.List;

/** Settings that cannot work, each problem naming the setting and the fix. */
public final class StreamsConfigException extends IllegalArgumentException {

  private final List<String> problems;

  public StreamsConfigException(List<String> problems) {
    super("invalid streams-topology configuration:\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
