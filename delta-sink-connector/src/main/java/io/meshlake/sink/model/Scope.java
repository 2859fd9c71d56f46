package io.meshlake.sink.model;

import io.meshlake.table.schema.ColumnType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The names one SELECT can refer to: the columns of the relation it reads (the source, or the CTE
 * before it), qualified or not by that relation's name or alias, and the columns of its
 * {@code LATERAL VIEW}, qualified or not by the view's alias. Names match case-insensitively, as in
 * Spark; a path continues into struct members ({@code envelope.version}, {@code exploded.version.number}).
 */
final class Scope {

  /** A named column: how to compute it, per source row, and its type. */
  record Column(String name, Typed value) {}

  private final List<String> qualifiers;
  private final List<Column> columns;
  private final String generatorAlias;
  private final List<Column> generated;

  Scope(List<String> qualifiers, List<Column> columns, String generatorAlias, List<Column> generated) {
    this.qualifiers = List.copyOf(qualifiers);
    this.columns = List.copyOf(columns);
    this.generatorAlias = generatorAlias;
    this.generated = List.copyOf(generated);
  }

  List<Column> columns() {
    return columns;
  }

  List<Column> generated() {
    return generated;
  }

  boolean isRelation(String qualifier) {
    return qualifiers.stream().anyMatch(q -> q.equalsIgnoreCase(qualifier));
  }

  boolean isGenerator(String qualifier) {
    return generatorAlias != null && generatorAlias.equalsIgnoreCase(qualifier);
  }

  /** Resolves a column reference such as {@code issue_id}, {@code envelope.version} or {@code exploded.label}. */
  Typed resolve(List<String> path, String text) {
    String first = path.get(0);
    if (path.size() > 1 && isRelation(first)) {
      Column c = find(columns, path.get(1), text);
      if (c != null) {
        return members(c.value(), path, 2, text);
      }
      if (find(columns, first, text) == null && find(generated, first, text) == null) {
        throw new CompileError("unknown column '" + path.get(1) + "' in " + text + "; " + first + " has columns " + names(columns));
      }
    }
    if (path.size() > 1 && isGenerator(first)) {
      Column c = find(generated, path.get(1), text);
      if (c != null) {
        return members(c.value(), path, 2, text);
      }
      if (find(columns, first, text) == null) {
        throw new CompileError("unknown column '" + path.get(1) + "' in " + text + "; LATERAL VIEW " + first
            + " has columns " + names(generated));
      }
    }
    Column c = find(columns, first, text);
    Column g = find(generated, first, text);
    if (c != null && g != null) {
      throw new CompileError("column '" + first + "' in " + text + " is ambiguous: it is a column of the source and of the"
          + " LATERAL VIEW; qualify it (" + qualifiers.get(qualifiers.size() - 1) + "." + first + " or " + generatorAlias + "." + first + ")");
    }
    if (c == null && g == null) {
      throw new CompileError("unknown column '" + first + "' in " + text + "; available columns: " + available());
    }
    return members((c != null ? c : g).value(), path, 1, text);
  }

  private static Column find(List<Column> in, String name, String text) {
    for (Column c : in) {
      if (c.name().equals(name)) {
        return c;
      }
    }
    Column found = null;
    for (Column c : in) {
      if (c.name().equalsIgnoreCase(name)) {
        if (found != null) {
          throw new CompileError("column '" + name + "' in " + text + " is ambiguous: " + found.name() + " and " + c.name());
        }
        found = c;
      }
    }
    return found;
  }

  private static Typed members(Typed value, List<String> path, int from, String text) {
    Typed v = value;
    for (int i = from; i < path.size(); i++) {
      v = member(v, String.join(".", path.subList(0, i)), path.get(i), text);
    }
    return v;
  }

  /** The member {@code name} of a struct-typed value. */
  static Typed member(Typed struct, String structText, String name, String text) {
    if (!(struct.type() instanceof ColumnType.Struct s)) {
      throw new CompileError("'" + structText + "' in " + text + " is " + SqlTypes.name(struct.type())
          + ", not a struct: it has no member '" + name + "'");
    }
    int index = s.indexOf(name);
    if (index < 0) {
      for (int i = 0; i < s.fields().size(); i++) {
        if (s.fields().get(i).name().equalsIgnoreCase(name)) {
          index = i;
          break;
        }
      }
    }
    if (index < 0) {
      throw new CompileError("struct '" + structText + "' in " + text + " has no member '" + name + "'; its members are "
          + s.fields().stream().map(ColumnType.Field::name).toList());
    }
    return Typed.of(new Eval.Member(struct.eval(), index), s.fields().get(index).type(), struct);
  }

  /** The available columns, for messages: names, struct members spelled out one level deep. */
  String available() {
    List<String> out = new ArrayList<>();
    for (Column c : columns) {
      out.add(describe(c));
    }
    for (Column c : generated) {
      out.add(describe(c) + " (LATERAL VIEW)");
    }
    return String.join(", ", out);
  }

  private static String describe(Column c) {
    if (c.value().type() instanceof ColumnType.Struct s) {
      return c.name() + ".{" + s.fields().stream().map(ColumnType.Field::name).collect(Collectors.joining(", ")) + "}";
    }
    return c.name();
  }

  private static List<String> names(List<Column> in) {
    return in.stream().map(Column::name).toList();
  }
}
