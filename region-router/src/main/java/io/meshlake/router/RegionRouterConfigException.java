package io.meshlake.router;

import java.util.List;

/** The router's configuration is unusable; the message names each bad setting and how to fix it. */
public final class RegionRouterConfigException extends IllegalArgumentException {

  private final List<String> problems;

  public RegionRouterConfigException(List<String> problems) {
    super(problems.size() == 1
        ? "Invalid region-router configuration: " + problems.get(0)
        : "Invalid region-router configuration:\n - " + String.join("\n - ", problems));
    this.problems = List.copyOf(problems);
  }

  public RegionRouterConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
