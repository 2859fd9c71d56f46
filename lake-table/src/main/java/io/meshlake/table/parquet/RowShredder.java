package io.meshlake.table.parquet;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.parquet.column.ColumnDescriptor;

/**
 * Splits {@code Object[]} rows of a {@link TableSchema} into their leaf columns with repetition and
 * definition levels (the Dremel encoding), for the layout {@link ParquetSchemas} gives: every field
 * optional, arrays as the three-level LIST.
 */
final class RowShredder {

  /** A field of the schema: a leaf column, a struct or a list, with the leaves beneath it. */
  private abstract static sealed class Node permits Leaf, StructNode, ListNode {
    final List<ColumnBuffer> leaves = new ArrayList<>();

    /** The field is null (or absent) at definition level {@code d}: every leaf beneath gets a null. */
    final void writeNull(int r, int d) {
      for (ColumnBuffer leaf : leaves) {
        leaf.addNull(r, d);
      }
    }

    /** Writes a value of this field; {@code d} is the definition level of its parent. */
    abstract void write(Object value, int r, int d);
  }

  private static final class Leaf extends Node {
    final ColumnBuffer column;

    Leaf(ColumnBuffer column) {
      this.column = column;
      leaves.add(column);
    }

    @Override
    void write(Object value, int r, int d) {
      if (value == null) {
        column.addNull(r, d);
      } else {
        column.add(value, r);
      }
    }
  }

  private static final class StructNode extends Node {
    final Node[] fields;

    StructNode(Node[] fields) {
      this.fields = fields;
      for (Node f : fields) {
        leaves.addAll(f.leaves);
      }
    }

    @Override
    void write(Object value, int r, int d) {
      if (value == null) {
        writeNull(r, d);
        return;
      }
      Object[] values = (Object[]) value;
      for (int i = 0; i < fields.length; i++) {
        fields[i].write(values[i], r, d + 1);
      }
    }
  }

  private static final class ListNode extends Node {
    final Node element;
    /** The repetition level of this list's second and later elements. */
    final int repetition;

    ListNode(Node element, int repetition) {
      this.element = element;
      this.repetition = repetition;
      leaves.addAll(element.leaves);
    }

    @Override
    void write(Object value, int r, int d) {
      if (value == null) {
        writeNull(r, d);
        return;
      }
      List<?> list = (List<?>) value;
      if (list.isEmpty()) {
        writeNull(r, d + 1);
        return;
      }
      // d + 1: the list is defined; d + 2: its repeated group holds an element.
      for (int i = 0; i < list.size(); i++) {
        element.write(list.get(i), i == 0 ? r : repetition, d + 2);
      }
    }
  }

  private final Node[] fields;
  private final ColumnBuffer[] columns;

  /**
   * @param trackedStrings the string columns (top-level names) whose min/max are kept; other
   *     string and binary columns get no statistics, numbers and booleans always do
   */
  RowShredder(TableSchema schema, Set<String> trackedStrings, PageCompressor compressor) {
    List<ColumnDescriptor> descriptors = ParquetSchemas.columns(schema);
    int[] next = {0};
    List<ColumnBuffer> all = new ArrayList<>();
    fields = new Node[schema.size()];
    for (int i = 0; i < schema.size(); i++) {
      ColumnType.Field f = schema.fields().get(i);
      boolean trackStrings = trackedStrings.contains(f.name());
      fields[i] = node(f.type(), 0, trackStrings, descriptors, next, compressor);
      all.addAll(fields[i].leaves);
    }
    if (next[0] != descriptors.size()) {
      throw new IllegalStateException("schema has " + descriptors.size() + " leaf columns, shredder " + next[0]);
    }
    columns = all.toArray(ColumnBuffer[]::new);
  }

  private static Node node(ColumnType type, int repetition, boolean trackStrings, List<ColumnDescriptor> descriptors,
      int[] next, PageCompressor compressor) {
    if (type instanceof ColumnType.Primitive p) {
      ColumnDescriptor descriptor = descriptors.get(next[0]++);
      ColumnBuffer.Kind kind = switch (p) {
        case STRING, BINARY -> ColumnBuffer.Kind.BYTES;
        case LONG, TIMESTAMP -> ColumnBuffer.Kind.INT64;
        case INT, DATE -> ColumnBuffer.Kind.INT32;
        case DOUBLE -> ColumnBuffer.Kind.DOUBLE;
        case FLOAT -> ColumnBuffer.Kind.FLOAT;
        case BOOLEAN -> ColumnBuffer.Kind.BOOLEAN;
      };
      // Statistics of long text prune nothing and cost a byte-wise comparison per value.
      boolean tracked = kind != ColumnBuffer.Kind.BYTES || (p == ColumnType.Primitive.STRING && trackStrings);
      return new Leaf(new ColumnBuffer(descriptor, kind, tracked, compressor));
    }
    if (type instanceof ColumnType.Array a) {
      return new ListNode(node(a.element(), repetition + 1, trackStrings, descriptors, next, compressor), repetition + 1);
    }
    List<ColumnType.Field> members = ((ColumnType.Struct) type).fields();
    Node[] children = new Node[members.size()];
    for (int i = 0; i < children.length; i++) {
      children[i] = node(members.get(i).type(), repetition, trackStrings, descriptors, next, compressor);
    }
    return new StructNode(children);
  }

  void write(Object[] row) {
    for (int i = 0; i < fields.length; i++) {
      fields[i].write(row[i], 0, 0);
    }
  }

  /** The leaf columns, in the file's column order. */
  ColumnBuffer[] columns() {
    return columns;
  }
}
