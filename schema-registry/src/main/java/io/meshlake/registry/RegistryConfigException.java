package io.meshlake.registry;

import java.util.List;

/** The registry's configuration is unusable; the message names each bad setting and how to fix it. */
public final class RegistryConfigException extends IllegalArgumentException {

  private final List<String> problems;

  public RegistryConfigException(List<String> problems) {
    super(problems.size() == 1
        ? "Invalid schema registry configuration: " + problems.get(0)
        : "Invalid schema registry configuration:\n - " + String.join("\n - ", problems));
    this.problems = List.copyOf(problems);
  }

  public RegistryConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
