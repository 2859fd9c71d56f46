package io.meshlake.contracts.compat;

import com.squareup.wire.schema.internal.parser.ReservedElement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import kotlin.ranges.IntRange;

/** The {@code reserved} numbers and names of one message or enum. */
final class Reservations {

  /** An inclusive range of reserved numbers; a single number is a range of one. */
  record Range(int from, int to) {
    boolean contains(int number) {
      return number >= from && number <= to;
    }

    @Override
    public String toString() {
      return from == to ? Integer.toString(from) : from + " to " + to;
    }
  }

  private final List<Range> ranges;
  private final Set<String> names;

  private Reservations(List<Range> ranges, Set<String> names) {
    this.ranges = List.copyOf(ranges);
    this.names = Set.copyOf(names);
  }

  static Reservations of(List<ReservedElement> elements) {
    List<Range> ranges = new ArrayList<>();
    Set<String> names = new TreeSet<>();
    for (ReservedElement element : elements) {
      for (Object value : element.getValues()) {
        if (value instanceof String name) {
          names.add(name);
        } else if (value instanceof Integer number) {
          ranges.add(new Range(number, number));
        } else if (value instanceof IntRange range) {
          ranges.add(new Range(range.getFirst(), range.getLast()));
        } else {
          throw new IllegalStateException("unexpected reserved value " + value + " (" + value.getClass() + ")");
        }
      }
    }
    ranges.sort(Comparator.comparingInt(Range::from));
    return new Reservations(ranges, names);
  }

  List<Range> ranges() {
    return ranges;
  }

  Set<String> names() {
    return new TreeSet<>(names);
  }

  boolean coversNumber(int number) {
    return ranges.stream().anyMatch(r -> r.contains(number));
  }

  boolean coversName(String name) {
    return names.contains(name);
  }

  /** Whether the union of these ranges covers every number of {@code range}. */
  boolean coversRange(Range range) {
    long next = range.from(); // the lowest number not yet known to be covered
    for (Range r : ranges) { // sorted by start
      if (r.from() > next) {
        break;
      }
      next = Math.max(next, (long) r.to() + 1);
      if (next > range.to()) {
        return true;
      }
    }
    return next > range.to();
  }
}
