package io.meshlake.contracts.compat;

import java.util.List;
import java.util.Set;

/**
 * Which scalar type changes keep old bytes readable by new code and new bytes readable by old code.
 * Two scalars are compatible when they share a group below; any other pair is a breaking
 * {@link CompatibilityRule#FIELD_TYPE_CHANGED}. Messages and enums are compatible only with
 * themselves (by full name, following renames the checker already reported), a map only with a map
 * whose key and value are compatible, and never with a scalar or with each other.
 *
 * <p>Why these groups: each shares one wire encoding and protobuf's language guide documents them as
 * compatible. Within the varint group a narrowing change (int64 to int32) truncates large values the
 * way C++ casts do; that is accepted as protobuf accepts it. string/bytes is compatible as long as
 * the bytes are UTF-8. Not compatible, although some share a wire type: sint* with int* (zigzag vs
 * plain varint), fixed32 with fixed64 or float, float with double, enum with any integer (the value's
 * meaning and its JSON/table form change), bytes with an embedded message.
 */
public final class WireTypeCompatibility {

  /** The groups of mutually compatible scalar types. */
  public static final List<Set<String>> COMPATIBLE_SCALAR_GROUPS =
      List.of(
          Set.of("int32", "int64", "uint32", "uint64", "bool"),
          Set.of("sint32", "sint64"),
          Set.of("fixed32", "sfixed32"),
          Set.of("fixed64", "sfixed64"),
          Set.of("string", "bytes"));

  private WireTypeCompatibility() {}

  /** True when a field declared {@code previous} may be redeclared {@code next} (both scalars). */
  public static boolean scalarsCompatible(String previous, String next) {
    if (previous.equals(next)) {
      return true;
    }
    return COMPATIBLE_SCALAR_GROUPS.stream().anyMatch(g -> g.contains(previous) && g.contains(next));
  }
}
