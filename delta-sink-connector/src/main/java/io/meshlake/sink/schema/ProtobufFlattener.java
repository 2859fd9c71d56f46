package io.meshlake.sink.schema;

import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a protobuf message type onto table columns, and messages onto rows: nested messages become
 * structs, repeated fields arrays, enums their value names, {@code google.protobuf.Timestamp}
 * TIMESTAMP, wrapper types their nullable primitive, maps arrays of {@code {key, value}} structs.
 *
 * <p>An unset message field is null; an unset proto3 scalar is its default (proto3 cannot tell
 * "unset" from "default" unless the field is {@code optional}, in which case it is null).
 */
public final class ProtobufFlattener {

  static final Set<String> WRAPPERS = Set.of(
      "google.protobuf.StringValue", "google.protobuf.Int64Value", "google.protobuf.UInt64Value",
      "google.protobuf.Int32Value", "google.protobuf.UInt32Value", "google.protobuf.BoolValue",
      "google.protobuf.DoubleValue", "google.protobuf.FloatValue", "google.protobuf.BytesValue");
  static final String TIMESTAMP = "google.protobuf.Timestamp";
  /** Recursive message types are cut off at this depth (their deeper levels are dropped). */
  static final int MAX_DEPTH = 8;

  private final Descriptor descriptor;
  private final ColumnType.Struct struct;
  private final Map<Descriptor, ColumnType.Struct> structs = new IdentityHashMap<>();
  /** Per message type and depth, the fields that become columns, in column order (computed once). */
  private final Map<Descriptor, FieldDescriptor[]>[] plans;

  @SuppressWarnings("unchecked")
  public ProtobufFlattener(Descriptor descriptor) {
    this.descriptor = descriptor;
    this.struct = structOf(descriptor, 0);
    this.plans = new Map[MAX_DEPTH + 2];
    for (int i = 0; i < plans.length; i++) {
      plans[i] = new IdentityHashMap<>();
    }
  }

  /** The fields of a message type that have a column at this depth (a recursive type is cut off deeper). */
  FieldDescriptor[] plan(Descriptor d, int depth) {
    FieldDescriptor[] plan = plans[depth].get(d);
    if (plan == null) {
      List<FieldDescriptor> fields = new ArrayList<>();
      for (FieldDescriptor f : d.getFields()) {
        if (typeOf(f, depth) != null) {
          fields.add(f);
        }
      }
      plan = fields.toArray(FieldDescriptor[]::new);
      plans[depth].put(d, plan);
    }
    return plan;
  }

  public Descriptor descriptor() {
    return descriptor;
  }

  /** The columns of the message's top-level fields. */
  public ColumnType.Struct struct() {
    return struct;
  }

  /** The top-level columns that hold enum names (few distinct values). */
  public Set<String> enumColumns() {
    Set<String> names = new java.util.HashSet<>();
    for (FieldDescriptor f : plan(descriptor, 0)) {
      if (f.getJavaType() == FieldDescriptor.JavaType.ENUM && !f.isRepeated()) {
        names.add(f.getName());
      }
    }
    return names;
  }

  /** The message's values in {@link #struct()} order; a null message gives all nulls. */
  public Object[] flatten(Message message) {
    return flattenMessage(message, descriptor, 0);
  }

  private ColumnType.Struct structOf(Descriptor d, int depth) {
    ColumnType.Struct cached = structs.get(d);
    if (cached != null) {
      return cached;
    }
    List<ColumnType.Field> fields = new ArrayList<>();
    for (FieldDescriptor f : d.getFields()) {
      ColumnType type = typeOf(f, depth);
      if (type != null) {
        fields.add(new ColumnType.Field(f.getName(), type));
      }
    }
    ColumnType.Struct result = new ColumnType.Struct(fields);
    if (depth == 0 || !isRecursive(d)) {
      structs.put(d, result);
    }
    return result;
  }

  private ColumnType typeOf(FieldDescriptor f, int depth) {
    if (f.isMapField()) {
      Descriptor entry = f.getMessageType();
      ColumnType key = singularType(entry.findFieldByName("key"), depth + 1);
      ColumnType value = singularType(entry.findFieldByName("value"), depth + 1);
      if (value == null) {
        return null;
      }
      return new ColumnType.Array(new ColumnType.Struct(List.of(
          new ColumnType.Field("key", key), new ColumnType.Field("value", value))));
    }
    ColumnType element = singularType(f, depth);
    if (element == null) {
      return null;
    }
    return f.isRepeated() ? new ColumnType.Array(element) : element;
  }

  private ColumnType singularType(FieldDescriptor f, int depth) {
    return switch (f.getJavaType()) {
      case STRING -> ColumnType.Primitive.STRING;
      case INT -> f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
          ? ColumnType.Primitive.LONG : ColumnType.Primitive.INT;
      case LONG -> ColumnType.Primitive.LONG;
      case DOUBLE -> ColumnType.Primitive.DOUBLE;
      case FLOAT -> ColumnType.Primitive.FLOAT;
      case BOOLEAN -> ColumnType.Primitive.BOOLEAN;
      case BYTE_STRING -> ColumnType.Primitive.BINARY;
      case ENUM -> ColumnType.Primitive.STRING;
      case MESSAGE -> {
        String name = f.getMessageType().getFullName();
        if (TIMESTAMP.equals(name)) {
          yield ColumnType.Primitive.TIMESTAMP;
        }
        if (WRAPPERS.contains(name)) {
          yield singularType(f.getMessageType().findFieldByName("value"), depth);
        }
        if (depth >= MAX_DEPTH) {
          yield null;
        }
        yield structOf(f.getMessageType(), depth + 1);
      }
    };
  }

  private Object[] flattenMessage(Message message, Descriptor d, int depth) {
    FieldDescriptor[] plan = plan(d, depth);
    Object[] row = new Object[plan.length];
    if (message == null) {
      return row;
    }
    for (int i = 0; i < plan.length; i++) {
      row[i] = value(message, plan[i], depth);
    }
    return row;
  }

  private Object value(Message message, FieldDescriptor f, int depth) {
    if (f.isMapField()) {
      List<Object> entries = new ArrayList<>();
      int count = message.getRepeatedFieldCount(f);
      Descriptor entry = f.getMessageType();
      FieldDescriptor k = entry.findFieldByName("key");
      FieldDescriptor v = entry.findFieldByName("value");
      for (int i = 0; i < count; i++) {
        Message e = (Message) message.getRepeatedField(f, i);
        entries.add(new Object[] {scalar(e.getField(k), k, depth + 1), scalar(e.getField(v), v, depth + 1)});
      }
      return entries;
    }
    if (f.isRepeated()) {
      int count = message.getRepeatedFieldCount(f);
      List<Object> values = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        values.add(scalar(message.getRepeatedField(f, i), f, depth));
      }
      return values;
    }
    if (f.hasPresence() && !message.hasField(f)) {
      return null;
    }
    return scalar(message.getField(f), f, depth);
  }

  Object scalar(Object value, FieldDescriptor f, int depth) {
    return switch (f.getJavaType()) {
      case STRING, LONG, DOUBLE, FLOAT, BOOLEAN -> value;
      case INT -> f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
          ? Integer.toUnsignedLong((Integer) value) : value;
      case BYTE_STRING -> ((ByteString) value).toByteArray();
      case ENUM -> ((EnumValueDescriptor) value).getName();
      case MESSAGE -> {
        Message m = (Message) value;
        String name = f.getMessageType().getFullName();
        if (TIMESTAMP.equals(name)) {
          yield timestampMicros(m);
        }
        if (WRAPPERS.contains(name)) {
          FieldDescriptor inner = f.getMessageType().findFieldByName("value");
          yield scalar(m.getField(inner), inner, depth);
        }
        if (depth >= MAX_DEPTH) {
          yield null;
        }
        yield flattenMessage(m, f.getMessageType(), depth + 1);
      }
    };
  }

  static Long timestampMicros(Message m) {
    long seconds;
    int nanos;
    if (m instanceof Timestamp ts) {
      seconds = ts.getSeconds();
      nanos = ts.getNanos();
    } else {
      Descriptor d = m.getDescriptorForType();
      seconds = (Long) m.getField(d.findFieldByName("seconds"));
      nanos = (Integer) m.getField(d.findFieldByName("nanos"));
    }
    return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1_000);
  }

  private static boolean isRecursive(Descriptor d) {
    return reaches(d, d, new java.util.HashSet<>());
  }

  private static boolean reaches(Descriptor from, Descriptor target, Set<Descriptor> seen) {
    for (FieldDescriptor f : from.getFields()) {
      if (f.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      Descriptor next = f.getMessageType();
      if (next == target) {
        return true;
      }
      if (seen.add(next) && reaches(next, target, seen)) {
        return true;
      }
    }
    return false;
  }
}
