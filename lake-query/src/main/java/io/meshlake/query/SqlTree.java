package io.meshlake.query;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every node of a parsed JSqlParser statement, with where it hangs, found by walking the object
 * graph rather than through JSqlParser's visitors. The visitors skip clauses (TablesNamesFinder does
 * not look into ORDER BY or GROUP BY, the deparser prints joins inside parentheses with
 * {@code toString()}), and a security check that misses one clause is no check: walking the fields
 * finds a table or function wherever the parser put it. Nodes are listed in post-order (children
 * before their parent), so a rewrite can replace a node after its children were rewritten.
 */
final class SqlTree {

  private static final String AST_PACKAGE = "net.sf.jsqlparser.";
  private static final String PARSER_PACKAGE = "net.sf.jsqlparser.parser.";
  private static final Map<Class<?>, List<Field>> FIELDS = new java.util.concurrent.ConcurrentHashMap<>();

  /** A node (an AST object or a string) and the object, field or list holding it. */
  static final class Node {
    private final Object value;
    private final Node parent;
    private final Object holder;
    private final Field field;

    private Node(Object value, Node parent, Object holder, Field field) {
      this.value = value;
      this.parent = parent;
      this.holder = holder;
      this.field = field;
    }

    Object value() {
      return value;
    }

    /** The node holding this one (for a list element: the list), or null at the root. */
    Node parent() {
      return parent;
    }

    /** The name of the field holding this node, or null for a list or map element. */
    String fieldName() {
      return field == null ? null : field.getName();
    }

    /** Replaces this node by {@code replacements}: one for a field, any number in a list. */
    @SuppressWarnings("unchecked")
    void replaceWith(Object... replacements) {
      if (holder instanceof List<?> list) {
        int index = indexOf(list, value);
        List<Object> target = (List<Object>) list;
        target.remove(index);
        for (int i = 0; i < replacements.length; i++) {
          target.add(index + i, replacements[i]);
        }
        return;
      }
      if (field == null || replacements.length != 1 || Modifier.isFinal(field.getModifiers())) {
        throw new IllegalStateException("cannot replace " + value.getClass().getSimpleName() + " here");
      }
      try {
        field.set(holder, replacements[0]);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot replace " + value.getClass().getSimpleName(), e);
      }
    }

    private static int indexOf(List<?> list, Object value) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) == value) {
          return i;
        }
      }
      throw new IllegalStateException("node no longer in its list");
    }
  }

  private SqlTree() {}

  /** All nodes under {@code root}, children first. Strings are nodes too (identifiers, raw literals). */
  static List<Node> postOrder(Object root) {
    List<Node> out = new ArrayList<>();
    walk(root, null, null, null, out, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
    return out;
  }

  /** Runs {@code action} on every node of {@code type}, children first. */
  static <T> void each(Object root, Class<T> type, Consumer<Node> action) {
    for (Node node : postOrder(root)) {
      if (type.isInstance(node.value())) {
        action.accept(node);
      }
    }
  }

  private static void walk(Object value, Node parent, Object holder, Field field, List<Node> out, Set<Object> seen) {
    if (value == null || isLeaf(value)) {
      return;
    }
    Node node = new Node(value, parent, holder, field);
    if (value instanceof String) {
      out.add(node);
      return;
    }
    if (!seen.add(value)) {
      return;
    }
    if (value instanceof List<?> list) {
      for (Object element : new ArrayList<>(list)) {
        walk(element, node, list, null, out, seen);
      }
      if (isAst(value.getClass())) {
        walkFields(value, node, out, seen);
      }
    } else if (value instanceof Collection<?> collection) {
      for (Object element : collection) {
        walk(element, node, collection, null, out, seen);
      }
    } else if (value instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        walk(e.getKey(), node, map, null, out, seen);
        walk(e.getValue(), node, map, null, out, seen);
      }
    } else if (value instanceof Object[] array) {
      for (Object element : array) {
        walk(element, node, array, null, out, seen);
      }
    } else if (isAst(value.getClass())) {
      walkFields(value, node, out, seen);
    } else {
      // Something the parser should never put in a SELECT tree: refuse rather than skip it unseen.
      throw QueryException.rejected("unsupported SQL construct (" + value.getClass().getSimpleName() + ")");
    }
    out.add(node);
  }

  private static void walkFields(Object value, Node node, List<Node> out, Set<Object> seen) {
    for (Field f : fields(value.getClass())) {
      Object child;
      try {
        child = f.get(value);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot read " + f, e);
      }
      walk(child, node, value, f, out, seen);
    }
  }

  /** Plain values the parser stores (numbers, flags, parsed date literals): nothing below them. */
  private static boolean isLeaf(Object value) {
    return value instanceof Number || value instanceof Boolean || value instanceof Character || value instanceof Enum<?>
        || value instanceof Class<?> || value instanceof java.util.Date || value instanceof java.time.temporal.TemporalAccessor;
  }

  private static boolean isAst(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      String name = c.getName();
      if (name.startsWith(AST_PACKAGE) && !name.startsWith(PARSER_PACKAGE)) {
        return true;
      }
    }
    return false;
  }

  /** Instance fields of AST classes (the parser's own objects, e.g. a node's token, are not AST). */
  private static List<Field> fields(Class<?> type) {
    return FIELDS.computeIfAbsent(type, t -> {
      List<Field> fields = new ArrayList<>();
      for (Class<?> c = t; c != null && c != Object.class; c = c.getSuperclass()) {
        if (!c.getName().startsWith(AST_PACKAGE) || c.getName().startsWith(PARSER_PACKAGE)) {
          continue;
        }
        for (Field f : c.getDeclaredFields()) {
          int m = f.getModifiers();
          if (Modifier.isStatic(m) || Modifier.isTransient(m) || f.isSynthetic()) {
            continue;
          }
          f.setAccessible(true);
          fields.add(f);
        }
      }
      return List.copyOf(fields);
    });
  }
}
