package io.meshlake.registry;

import java.util.Locale;

/**
 * Confluent's compatibility levels. How each maps onto the expand-contract checker is in
 * {@code SchemaRegistry#incompatibilities} and the README.
 */
public enum CompatibilityLevel {
  NONE(false, false, false),
  BACKWARD(true, false, false),
  BACKWARD_TRANSITIVE(true, false, true),
  FORWARD(false, true, false),
  FORWARD_TRANSITIVE(false, true, true),
  FULL(true, true, false),
  FULL_TRANSITIVE(true, true, true);

  private final boolean backward;
  private final boolean forward;
  private final boolean transitive;

  CompatibilityLevel(boolean backward, boolean forward, boolean transitive) {
    this.backward = backward;
    this.forward = forward;
    this.transitive = transitive;
  }

  /** New readers must read data written with earlier schemas. */
  public boolean backward() {
    return backward;
  }

  /** Earlier readers must read data written with the new schema. */
  public boolean forward() {
    return forward;
  }

  /** Checked against every live earlier version, not only the latest. */
  public boolean transitive() {
    return transitive;
  }

  /** Parses a level case-insensitively; throws 42203 for anything else. */
  public static CompatibilityLevel parse(String text) {
    if (text != null) {
      try {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        // fall through to the API error
      }
    }
    throw RegistryException.invalidCompatibilityLevel(text);
  }
}
