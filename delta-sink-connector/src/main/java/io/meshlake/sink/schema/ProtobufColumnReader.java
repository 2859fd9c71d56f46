package io.meshlake.sink.schema;

import com.google.protobuf.ByteOutput;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Internal;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import io.meshlake.table.parquet.ByteSlice;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a serialized message straight into {@link ProtobufFlattener}'s columns, without building the
 * message: no generated builder, no reflection, and strings stay the UTF-8 bytes they arrived as,
 * as {@link ByteSlice}s of the input (a raw table writes them as such, without copying them out
 * first). Values are those {@code utf8(flattener.flatten(parse(bytes)))} gives, a string or bytes
 * value as a slice of the same bytes (or, for input not in one array, as an array).
 *
 * <p>Where the wire could mean something the reader does not reproduce exactly — malformed bytes, a
 * singular message field or two members of a oneof sent twice (protobuf merges or clears them), an
 * enum number the schema does not define, invalid UTF-8, a known field with another wire type, map
 * fields, groups, required fields — {@link #read} answers null and the caller parses and flattens
 * instead, so the reader is never a second, diverging decoder: it answers the common case or nothing.
 */
public final class ProtobufColumnReader {

  private enum Kind {
    INT32, SINT32, SFIXED32, UINT32, FIXED32, INT64, SINT64, SFIXED64, UINT64, FIXED64, BOOL, FLOAT, DOUBLE,
    STRING, BYTES, ENUM, TIMESTAMP, WRAPPER, MESSAGE, UNSUPPORTED
  }

  /** A field of a message with a column, and how its values are read. */
  private static final class Field {
    final int column;
    final Kind kind;
    final boolean repeated;
    final int wireType;
    /** The field's oneof among its message's oneofs (real ones only), -1 for none. */
    final int oneof;
    final Map<Integer, byte[]> enumNames;
    /** A wrapper's {@code value} field. */
    final Field wrapped;
    /** A nested message's plan (set after construction: plans may refer to each other). */
    Plan nested;

    Field(int column, Kind kind, boolean repeated, int wireType, int oneof, Map<Integer, byte[]> enumNames, Field wrapped) {
      this.column = column;
      this.kind = kind;
      this.repeated = repeated;
      this.wireType = wireType;
      this.oneof = oneof;
      this.enumNames = enumNames;
      this.wrapped = wrapped;
    }

    boolean packable() {
      return wireType != WireFormat.WIRETYPE_LENGTH_DELIMITED;
    }
  }

  /** The columns of one message type at one depth. */
  private static final class Plan {
    final int columns;
    final int oneofs;
    final Field[] byNumber;
    final Map<Integer, Field> sparse;
    /** Field numbers the type declares without a column (cut off by depth): their bytes would go unchecked. */
    final Set<Integer> declaredWithoutColumn;
    /** The value of a column whose field is absent. */
    final Object[] absent;

    Plan(int columns, int oneofs, Field[] byNumber, Map<Integer, Field> sparse, Set<Integer> declaredWithoutColumn,
        Object[] absent) {
      this.columns = columns;
      this.oneofs = oneofs;
      this.byNumber = byNumber;
      this.sparse = sparse;
      this.declaredWithoutColumn = declaredWithoutColumn;
      this.absent = absent;
    }

    Field field(int number) {
      return number < byNumber.length ? byNumber[number] : sparse.get(number);
    }
  }

  /** The reader cannot answer this message exactly; the caller parses it. */
  private static final class Unanswered extends Exception {
    static final Unanswered INSTANCE = new Unanswered();

    private Unanswered() {
      super(null, null, false, false);
    }
  }

  /** Field numbers up to here are looked up in an array. */
  private static final int DENSE_NUMBERS = 256;
  private static final Object UNSET = new Object();

  private final ProtobufFlattener flattener;
  private final Map<Descriptor, Plan>[] plans;
  /** Null when the type has required fields: their absence fails a parse, which the reader does not check. */
  private final Plan root;

  @SuppressWarnings("unchecked")
  public ProtobufColumnReader(ProtobufFlattener flattener) {
    this.flattener = flattener;
    this.plans = new Map[ProtobufFlattener.MAX_DEPTH + 2];
    for (int i = 0; i < plans.length; i++) {
      plans[i] = new IdentityHashMap<>();
    }
    Plan plan;
    try {
      plan = plan(flattener.descriptor(), 0);
    } catch (UnsupportedOperationException required) {
      plan = null;
    }
    this.root = plan;
  }

  /** Whether {@link #read} can answer at all (false for types with required fields). */
  public boolean answers() {
    return root != null;
  }

  /**
   * The message's columns, or null when the caller must parse and flatten it instead (see the class
   * comment). Strings and bytes are {@link ByteSlice}s of the input's own array where it has one, so
   * the caller must not change those bytes while it holds the answer.
   */
  public Object[] read(ByteString bytes) {
    if (root == null) {
      return null;
    }
    try {
      Backing backing = Backing.of(bytes);
      CodedInputStream in = backing == null ? bytes.newCodedInput()
          : CodedInputStream.newInstance(backing.array, backing.offset, backing.length);
      Object[] row = readMessage(in, root, backing);
      return in.isAtEnd() ? row : null;
    } catch (IOException | Unanswered | RuntimeException e) {
      return null;
    }
  }

  /**
   * The one array a ByteString's bytes lie in, reached without copying them; null for bytes in
   * several pieces or off the heap (those are read through copies).
   */
  private static final class Backing extends ByteOutput {
    byte[] array;
    int offset;
    int length;
    boolean pieces;

    static Backing of(ByteString bytes) throws IOException {
      Backing b = new Backing();
      UnsafeByteOperations.unsafeWriteTo(bytes, b);
      return b.pieces || b.array == null ? null : b;
    }

    @Override
    public void writeLazy(byte[] value, int offset, int length) {
      if (array != null) {
        pieces = true;
      }
      this.array = value;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public void write(byte[] value, int offset, int length) {
      pieces = true;
    }

    @Override
    public void write(byte value) {
      pieces = true;
    }

    @Override
    public void write(ByteBuffer value) {
      pieces = true;
    }

    @Override
    public void writeLazy(ByteBuffer value) {
      pieces = true;
    }
  }

  /** A copy of flattened columns with every String (at any depth) as its UTF-8 bytes, as {@link #read} gives them. */
  public static Object[] utf8(Object[] flattened) {
    if (flattened == null) {
      return null;
    }
    Object[] out = new Object[flattened.length];
    for (int i = 0; i < flattened.length; i++) {
      out[i] = utf8Value(flattened[i]);
    }
    return out;
  }

  private static Object utf8Value(Object value) {
    if (value instanceof String s) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    if (value instanceof Object[] struct) {
      return utf8(struct);
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (Object element : list) {
        out.add(utf8Value(element));
      }
      return out;
    }
    return value;
  }

  private Plan plan(Descriptor d, int depth) {
    Plan cached = plans[depth].get(d);
    if (cached != null) {
      return cached;
    }
    FieldDescriptor[] fields = flattener.plan(d, depth);
    Set<Integer> withColumn = new HashSet<>();
    int maxNumber = 0;
    for (FieldDescriptor f : fields) {
      withColumn.add(f.getNumber());
      maxNumber = Math.max(maxNumber, f.getNumber());
    }
    Set<Integer> declaredWithoutColumn = new HashSet<>();
    for (FieldDescriptor f : d.getFields()) {
      if (f.isRequired()) {
        throw new UnsupportedOperationException(d.getFullName() + "." + f.getName() + " is required");
      }
      if (!withColumn.contains(f.getNumber())) {
        declaredWithoutColumn.add(f.getNumber());
      }
    }
    Field[] byNumber = new Field[Math.min(maxNumber, DENSE_NUMBERS) + 1];
    Map<Integer, Field> sparse = new HashMap<>();
    Object[] absent = new Object[fields.length];
    Map<Field, Descriptor> nestedTypes = new IdentityHashMap<>();
    int oneofs = 0;
    Map<Object, Integer> oneofIndex = new HashMap<>();
    for (int column = 0; column < fields.length; column++) {
      FieldDescriptor f = fields[column];
      int oneof = -1;
      if (f.getRealContainingOneof() != null) {
        Integer index = oneofIndex.get(f.getRealContainingOneof());
        if (index == null) {
          index = oneofs++;
          oneofIndex.put(f.getRealContainingOneof(), index);
        }
        oneof = index;
      }
      Field field = field(f, column, oneof);
      if (field.kind == Kind.MESSAGE) {
        nestedTypes.put(field, f.getMessageType());
      }
      if (f.getNumber() < byNumber.length) {
        byNumber[f.getNumber()] = field;
      } else {
        sparse.put(f.getNumber(), field);
      }
      absent[column] = f.isRepeated() ? List.of()
          : f.hasPresence() ? null
          : utf8Value(flattener.scalar(f.getDefaultValue(), f, depth));
    }
    Plan plan = new Plan(fields.length, oneofs, byNumber, sparse, declaredWithoutColumn, absent);
    // Once per type and depth: a type used by several fields is planned once.
    plans[depth].put(d, plan);
    nestedTypes.forEach((field, type) -> field.nested = plan(type, depth + 1));
    return plan;
  }

  private static Field field(FieldDescriptor f, int column, int oneof) {
    if (f.isMapField() || f.getType() == FieldDescriptor.Type.GROUP) {
      return new Field(column, Kind.UNSUPPORTED, f.isRepeated(), -1, oneof, null, null);
    }
    Kind kind = kind(f);
    Map<Integer, byte[]> enumNames = null;
    if (kind == Kind.ENUM) {
      enumNames = new HashMap<>();
      for (EnumValueDescriptor v : f.getEnumType().getValues()) {
        // An alias shares a number: the parse gives the first value defined with it.
        enumNames.putIfAbsent(v.getNumber(), f.getEnumType().findValueByNumber(v.getNumber()).getName()
            .getBytes(StandardCharsets.UTF_8));
      }
    }
    Field wrapped = null;
    if (kind == Kind.WRAPPER) {
      FieldDescriptor value = f.getMessageType().findFieldByName("value");
      wrapped = new Field(0, kind(value), false, value.getLiteType().getWireType(), -1, null, null);
    }
    return new Field(column, kind, f.isRepeated(), f.getLiteType().getWireType(), oneof, enumNames, wrapped);
  }

  private static Kind kind(FieldDescriptor f) {
    return switch (f.getType()) {
      case INT32 -> Kind.INT32;
      case SINT32 -> Kind.SINT32;
      case SFIXED32 -> Kind.SFIXED32;
      case UINT32 -> Kind.UINT32;
      case FIXED32 -> Kind.FIXED32;
      case INT64 -> Kind.INT64;
      case SINT64 -> Kind.SINT64;
      case SFIXED64 -> Kind.SFIXED64;
      case UINT64 -> Kind.UINT64;
      case FIXED64 -> Kind.FIXED64;
      case BOOL -> Kind.BOOL;
      case FLOAT -> Kind.FLOAT;
      case DOUBLE -> Kind.DOUBLE;
      case STRING -> Kind.STRING;
      case BYTES -> Kind.BYTES;
      case ENUM -> Kind.ENUM;
      case GROUP -> Kind.UNSUPPORTED;
      case MESSAGE -> {
        String name = f.getMessageType().getFullName();
        yield ProtobufFlattener.TIMESTAMP.equals(name) ? Kind.TIMESTAMP
            : ProtobufFlattener.WRAPPERS.contains(name) ? Kind.WRAPPER : Kind.MESSAGE;
      }
    };
  }

  private Object[] readMessage(CodedInputStream in, Plan plan, Backing backing) throws IOException, Unanswered {
    Object[] row = new Object[plan.columns];
    Arrays.fill(row, UNSET);
    int[] oneofMember = plan.oneofs == 0 ? null : new int[plan.oneofs];
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int number = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      Field f = plan.field(number);
      if (f == null) {
        // Unknown to the type: the parse keeps it aside, so it is skipped (its framing still checked).
        if (plan.declaredWithoutColumn.contains(number) || wireType == WireFormat.WIRETYPE_START_GROUP
            || wireType == WireFormat.WIRETYPE_END_GROUP || !in.skipField(tag)) {
          throw Unanswered.INSTANCE;
        }
        continue;
      }
      if (f.kind == Kind.UNSUPPORTED) {
        throw Unanswered.INSTANCE;
      }
      if (f.oneof >= 0) {
        // A second member of the oneof clears the first: left to the parse.
        if (oneofMember[f.oneof] != 0 && oneofMember[f.oneof] != number) {
          throw Unanswered.INSTANCE;
        }
        oneofMember[f.oneof] = number;
      }
      if (f.repeated) {
        @SuppressWarnings("unchecked")
        List<Object> values = row[f.column] == UNSET ? new ArrayList<>() : (List<Object>) row[f.column];
        row[f.column] = values;
        if (wireType == f.wireType) {
          values.add(value(in, f, backing));
        } else if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED && f.packable()) {
          int limit = in.pushLimit(in.readRawVarint32());
          while (in.getBytesUntilLimit() > 0) {
            values.add(value(in, f, backing));
          }
          in.popLimit(limit);
        } else {
          throw Unanswered.INSTANCE;
        }
        continue;
      }
      // Another wire type would make the parse keep it as an unknown field; a message sent twice is merged.
      if (wireType != f.wireType || (f.wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED
          && f.kind != Kind.STRING && f.kind != Kind.BYTES && row[f.column] != UNSET)) {
        throw Unanswered.INSTANCE;
      }
      row[f.column] = value(in, f, backing);
    }
    for (int i = 0; i < row.length; i++) {
      if (row[i] == UNSET) {
        row[i] = plan.absent[i];
      }
    }
    return row;
  }

  private Object value(CodedInputStream in, Field f, Backing backing) throws IOException, Unanswered {
    return switch (f.kind) {
      case INT32 -> in.readInt32();
      case SINT32 -> in.readSInt32();
      case SFIXED32 -> in.readSFixed32();
      case UINT32 -> Integer.toUnsignedLong(in.readUInt32());
      case FIXED32 -> Integer.toUnsignedLong(in.readFixed32());
      case INT64 -> in.readInt64();
      case SINT64 -> in.readSInt64();
      case SFIXED64 -> in.readSFixed64();
      case UINT64 -> in.readUInt64();
      case FIXED64 -> in.readFixed64();
      case BOOL -> in.readBool();
      case FLOAT -> in.readFloat();
      case DOUBLE -> in.readDouble();
      case STRING -> {
        if (backing == null) {
          byte[] utf8 = in.readByteArray();
          if (!Internal.isValidUtf8(utf8)) {
            throw Unanswered.INSTANCE;
          }
          yield utf8;
        }
        ByteSlice utf8 = slice(in, backing);
        if (!Internal.isValidUtf8(UnsafeByteOperations.unsafeWrap(utf8.array(), utf8.offset(), utf8.length()))) {
          throw Unanswered.INSTANCE;
        }
        yield utf8;
      }
      case BYTES -> backing == null ? in.readByteArray() : slice(in, backing);
      case ENUM -> {
        byte[] name = f.enumNames.get(in.readEnum());
        if (name == null) {
          throw Unanswered.INSTANCE;
        }
        yield name;
      }
      case TIMESTAMP -> timestampMicros(in);
      case WRAPPER -> wrapperValue(in, f.wrapped, backing);
      case MESSAGE -> {
        int limit = in.pushLimit(in.readRawVarint32());
        Object[] nested = readMessage(in, f.nested, backing);
        endNested(in, limit);
        yield nested;
      }
      case UNSUPPORTED -> throw Unanswered.INSTANCE;
    };
  }

  /** A length-delimited value as a range of the input's array, checked against the input's end and limits. */
  private static ByteSlice slice(CodedInputStream in, Backing backing) throws IOException {
    int length = in.readRawVarint32();
    int at = backing.offset + in.getTotalBytesRead();
    in.skipRawBytes(length);
    return new ByteSlice(backing.array, at, length);
  }

  /**
   * Leaves a nested message, which must have ended at its declared length: a stream-backed input
   * (a rope) stops early at its end instead of failing, where the parse fails.
   */
  private static void endNested(CodedInputStream in, int limit) throws Unanswered {
    if (in.getBytesUntilLimit() != 0) {
      throw Unanswered.INSTANCE;
    }
    in.popLimit(limit);
  }

  /** A google.protobuf.Timestamp's micros: seconds (1) and nanos (2); other fields are unknown to it. */
  private static Object timestampMicros(CodedInputStream in) throws IOException, Unanswered {
    int limit = in.pushLimit(in.readRawVarint32());
    long seconds = 0;
    int nanos = 0;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int number = WireFormat.getTagFieldNumber(tag);
      if (number == 1 || number == 2) {
        if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_VARINT) {
          throw Unanswered.INSTANCE;
        }
        if (number == 1) {
          seconds = in.readInt64();
        } else {
          nanos = in.readInt32();
        }
      } else if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_START_GROUP || !in.skipField(tag)) {
        throw Unanswered.INSTANCE;
      }
    }
    endNested(in, limit);
    try {
      return Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1_000);
    } catch (ArithmeticException overflow) {
      throw Unanswered.INSTANCE;
    }
  }

  /** A wrapper's value (1); present but empty, the value type's default. */
  private Object wrapperValue(CodedInputStream in, Field value, Backing backing) throws IOException, Unanswered {
    int limit = in.pushLimit(in.readRawVarint32());
    Object result = null;
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        if (WireFormat.getTagWireType(tag) != value.wireType) {
          throw Unanswered.INSTANCE;
        }
        result = value(in, value, backing);
      } else if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_START_GROUP || !in.skipField(tag)) {
        throw Unanswered.INSTANCE;
      }
    }
    endNested(in, limit);
    return result != null ? result : wrapperDefault(value.kind);
  }

  private static Object wrapperDefault(Kind kind) {
    return switch (kind) {
      case INT32 -> 0;
      case UINT32 -> 0L;
      case INT64, UINT64 -> 0L;
      case BOOL -> false;
      case FLOAT -> 0.0f;
      case DOUBLE -> 0.0;
      case STRING, BYTES -> new byte[0];
      default -> throw new IllegalStateException("not a wrapper value: " + kind);
    };
  }
}
