package io.meshlake.query;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Narrows what a query sees inside the caller's workspace: per table, {@code column IN (values)}
 * restrictions (several on one table all apply). The restriction is applied where the table is
 * built, before the caller's SQL runs, so no SQL can widen it. The values are bound as
 * parameters, never spliced into SQL. A restriction with no values matches no row.
 */
public final class QueryScope {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final QueryScope NONE = new QueryScope(Map.of());

  /** One {@code column IN (values)} restriction of a table. */
  public record Restriction(String table, String column, List<Object> values) {
    public Restriction {
      values = List.copyOf(values);
    }
  }

  private final Map<String, List<Restriction>> byTable;

  private QueryScope(Map<String, List<Restriction>> byTable) {
    this.byTable = byTable;
  }

  /** The whole workspace. */
  public static QueryScope none() {
    return NONE;
  }

  /**
   * This scope plus {@code table.column IN (values)}. Values are strings, integers, decimals or
   * booleans.
   */
  public QueryScope restrict(String table, String column, Collection<?> values) {
    String t = name(table, "table");
    String c = name(column, "column");
    if (values == null) {
      throw QueryException.rejected("scope " + t + "." + c + " needs a list of values");
    }
    List<Object> checked = new ArrayList<>();
    for (Object value : values) {
      checked.add(value(t, c, value));
    }
    Map<String, List<Restriction>> next = new LinkedHashMap<>();
    byTable.forEach((k, v) -> next.put(k, new ArrayList<>(v)));
    next.computeIfAbsent(t, k -> new ArrayList<>()).add(new Restriction(t, c, checked));
    next.replaceAll((k, v) -> List.copyOf(v));
    return new QueryScope(Map.copyOf(next));
  }

  /** The restrictions of a table (lower-case name), empty when the table is not narrowed. */
  public List<Restriction> restrictions(String table) {
    return byTable.getOrDefault(table.toLowerCase(Locale.ROOT), List.of());
  }

  /** Every restricted table (lower-case names). */
  public java.util.Set<String> tables() {
    return byTable.keySet();
  }

  public boolean isEmpty() {
    return byTable.isEmpty();
  }

  @Override
  public String toString() {
    return byTable.values().toString();
  }

  private static String name(String name, String what) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw QueryException.rejected("scope " + what + " '" + name + "' is not a plain name (letters, digits, '_')");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private static Object value(String table, String column, Object value) {
    if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Integer
        || value instanceof Short || value instanceof BigInteger || value instanceof BigDecimal || value instanceof Double) {
      return value;
    }
    throw QueryException.rejected("scope " + table + "." + column + " values must be strings, numbers or booleans, got "
        + (value == null ? "null" : value.getClass().getSimpleName()));
  }
}
