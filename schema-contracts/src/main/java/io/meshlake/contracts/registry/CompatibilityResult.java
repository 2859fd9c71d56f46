package io.meshlake.contracts.registry;

import java.util.List;

/** The registry's answer to "may this schema be registered under that subject?", with its reasons. */
public record CompatibilityResult(boolean compatible, List<String> messages) {
  public CompatibilityResult {
    messages = messages == null ? List.of() : List.copyOf(messages);
  }
}
