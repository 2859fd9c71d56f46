package io.meshlake.contracts.compat;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The entity_type rules. The id is written into every envelope and routes every event to its
 * tables, so an id once given to an entity stays with it: it may not change, may not be given to
 * another entity, and the manifest holding it may not disappear.
 */
public final class ManifestCompatibility {

  private ManifestCompatibility() {}

  /** Compares two sets of manifests by entity name. */
  public static List<BreakingChange> check(ManifestSet previous, ManifestSet next) {
    return check(previous, next, UnaryOperator.identity());
  }

  /**
   * @param renamed maps a previous entity (message) name to its name in {@code next}, so an entity
   *     whose message was renamed (already reported by the .proto rules) keeps its id legitimately
   */
  static List<BreakingChange> check(ManifestSet previous, ManifestSet next, UnaryOperator<String> renamed) {
    Objects.requireNonNull(previous, "previous");
    Objects.requireNonNull(next, "next");
    List<BreakingChange> changes = new ArrayList<>();
    for (ManifestSet.Entry before : previous.entries()) {
      Optional<ManifestSet.Entry> after = next.entity(renamed.apply(before.entity()));
      if (after.isEmpty()) {
        changes.add(
            new BreakingChange(
                CompatibilityRule.ENTITY_REMOVED, before.file(), before.entity(), null,
                before.file() + ": entity " + before.entity() + " (entity_type " + before.entityType()
                    + ") removed: its events can no longer be routed; keep the manifest"));
      } else if (after.get().entityType() != before.entityType()) {
        changes.add(
            new BreakingChange(
                CompatibilityRule.ENTITY_TYPE_CHANGED, after.get().file(), after.get().entity(), null,
                after.get().file() + ": entity " + after.get().entity() + ": entity_type changed from "
                    + before.entityType() + " to " + after.get().entityType()));
      }
    }
    for (ManifestSet.Entry after : next.entries()) {
      Optional<ManifestSet.Entry> owner = previous.byEntityType(after.entityType());
      if (owner.isPresent() && !renamed.apply(owner.get().entity()).equals(after.entity())) {
        changes.add(
            new BreakingChange(
                CompatibilityRule.ENTITY_TYPE_REUSED, after.file(), after.entity(), null,
                after.file() + ": entity " + after.entity() + ": entity_type " + after.entityType()
                    + " belonged to " + owner.get().entity() + " (" + owner.get().file()
                    + "); ids are never reused, take a new one"));
      }
    }
    return changes;
  }
}
