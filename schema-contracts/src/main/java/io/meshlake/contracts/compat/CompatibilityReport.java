package io.meshlake.contracts.compat;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** The outcome of a compatibility check: every breaking change found, in a stable order. */
public record CompatibilityReport(List<BreakingChange> breakingChanges) {

  public CompatibilityReport {
    breakingChanges = List.copyOf(breakingChanges);
  }

  public boolean isCompatible() {
    return breakingChanges.isEmpty();
  }

  /** The distinct rules broken. */
  public Set<CompatibilityRule> rules() {
    Set<CompatibilityRule> rules = EnumSet.noneOf(CompatibilityRule.class);
    breakingChanges.forEach(change -> rules.add(change.rule()));
    return rules;
  }

  /** One line per breaking change, or "compatible". */
  @Override
  public String toString() {
    if (isCompatible()) {
      return "compatible";
    }
    return breakingChanges.size() + " breaking change(s):\n"
        + breakingChanges.stream().map(BreakingChange::toLine).collect(Collectors.joining("\n"));
  }
}
