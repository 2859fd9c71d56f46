package io.meshlake.sink.schema;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.meshlake.contracts.jira.v1.CustomFieldValue;
import io.meshlake.contracts.jira.v1.IssuePriority;
import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.table.schema.ColumnType;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumOptions;
import com.google.protobuf.DescriptorProtos.EnumValueDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Label;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto.Type;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.DescriptorProtos.OneofDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import com.google.protobuf.TimestampProto;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.WireFormat;
import com.google.protobuf.WrappersProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import io.meshlake.table.parquet.ByteSlice;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.statistics.Statistics;
import org.junit.jupiter.api.Test;

/**
 * {@link ProtobufColumnReader} against the parse-and-flatten path it stands in for: for any bytes,
 * {@code read} is null or deep-equal to {@code utf8(flatten(parse(bytes)))}, null whenever the parse fails,
 * and never null for ordinarily built messages.
 *
 * <p>The schema is built at run time (proto3, every scalar type, enums with an alias and negative numbers,
 * proto3 {@code optional}, a real oneof, packed repeated fields, Timestamp, every wrapper, nested, map and
 * recursive messages, and field numbers out of declaration order up to 2^29-1); the generated
 * {@link JiraIssue} is checked with its generated parser. Messages are random (seeded), and their wire
 * bytes are then mutated: unknown fields of every wire type, duplicated fields, wrong wire types, packed
 * and unpacked encodings mixed, undefined enum numbers, invalid and tricky UTF-8, second oneof members,
 * over-long varints, truncation and corrupted bytes.
 */
class ProtobufColumnReaderTest {

  // ------------------------------------------------------------------------------------------------
  // The test schema
  // ------------------------------------------------------------------------------------------------

  private static final String PKG = "meshlake.test.reader";
  private static final String COLOR_TYPE = "." + PKG + ".Color";
  private static final String TIMESTAMP_TYPE = ".google.protobuf.Timestamp";

  static final FileDescriptor FILE = buildFile();
  static final Descriptor EVERYTHING = FILE.findMessageTypeByName("Everything");
  static final Descriptor NODE = FILE.findMessageTypeByName("Node");
  static final Descriptor INNER = FILE.findMessageTypeByName("Inner");

  static final Schema TEST = schema("Everything", EVERYTHING, true);
  static final Schema JIRA = schema("JiraIssue", JiraIssue.getDescriptor(), false);

  private static FieldDescriptorProto.Builder field(String name, int number, Type type) {
    return FieldDescriptorProto.newBuilder().setName(name).setNumber(number).setType(type).setLabel(Label.LABEL_OPTIONAL);
  }

  private static FieldDescriptorProto.Builder repeated(String name, int number, Type type) {
    return field(name, number, type).setLabel(Label.LABEL_REPEATED);
  }

  private static FieldDescriptorProto.Builder message(String name, int number, String typeName) {
    return field(name, number, Type.TYPE_MESSAGE).setTypeName(typeName);
  }

  private static FieldDescriptorProto.Builder color(String name, int number) {
    return field(name, number, Type.TYPE_ENUM).setTypeName(COLOR_TYPE);
  }

  /** A proto3 {@code optional} field: its own synthetic oneof, declared after the real ones. */
  private static void optional(DescriptorProto.Builder m, FieldDescriptorProto.Builder f) {
    int index = m.getOneofDeclCount();
    m.addOneofDecl(OneofDescriptorProto.newBuilder().setName("_" + f.getName()));
    m.addField(f.setProto3Optional(true).setOneofIndex(index));
  }

  private static EnumValueDescriptorProto value(String name, int number) {
    return EnumValueDescriptorProto.newBuilder().setName(name).setNumber(number).build();
  }

  private static DescriptorProto mapEntry(String name, FieldDescriptorProto.Builder key, FieldDescriptorProto.Builder value) {
    return DescriptorProto.newBuilder().setName(name).setOptions(MessageOptions.newBuilder().setMapEntry(true))
        .addField(key).addField(value).build();
  }

  static FileDescriptor buildFile() {
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder()
        .setName("meshlake/test/reader/everything.proto").setPackage(PKG).setSyntax("proto3")
        .addDependency(TimestampProto.getDescriptor().getName())
        .addDependency(WrappersProto.getDescriptor().getName());

    file.addEnumType(EnumDescriptorProto.newBuilder().setName("Color")
        .setOptions(EnumOptions.newBuilder().setAllowAlias(true))
        .addValue(value("COLOR_UNSPECIFIED", 0))
        .addValue(value("RED", 1))
        .addValue(value("GREEN", 2))
        .addValue(value("BLUE", 3))
        .addValue(value("AZURE", 3)) // an alias: the parse names 3 BLUE
        .addValue(value("NEGATIVE", -1))
        .addValue(value("HUGE", Integer.MAX_VALUE))
        .addValue(value("TINY", Integer.MIN_VALUE)));

    DescriptorProto.Builder inner = DescriptorProto.newBuilder().setName("Inner");
    inner.addField(field("s", 1, Type.TYPE_STRING));
    inner.addField(field("n", 2, Type.TYPE_SINT64));
    inner.addField(repeated("u", 3, Type.TYPE_UINT32));
    inner.addField(color("c", 4));
    inner.addField(message("w", 5, ".google.protobuf.Int64Value"));
    inner.addField(message("t", 6, TIMESTAMP_TYPE));
    optional(inner, field("opt_f", 7, Type.TYPE_FLOAT));
    file.addMessageType(inner);

    DescriptorProto.Builder node = DescriptorProto.newBuilder().setName("Node");
    node.addField(field("name", 1, Type.TYPE_STRING));
    node.addField(message("child", 2, "." + PKG + ".Node"));
    node.addField(field("level", 4, Type.TYPE_INT32));
    node.addField(message("children", 3, "." + PKG + ".Node").setLabel(Label.LABEL_REPEATED));
    node.addField(message("at", 5, TIMESTAMP_TYPE));
    node.addField(message("tag", 6, ".google.protobuf.StringValue"));
    node.addField(color("color", 7));
    file.addMessageType(node);

    DescriptorProto.Builder m = DescriptorProto.newBuilder().setName("Everything");
    m.addOneofDecl(OneofDescriptorProto.newBuilder().setName("choice"));
    // Declared out of number order: columns follow the declaration.
    m.addField(field("far", 536_870_911, Type.TYPE_INT64));
    m.addField(field("f_string", 14, Type.TYPE_STRING));
    m.addField(field("f_int32", 1, Type.TYPE_INT32));
    m.addField(field("f_sint32", 2, Type.TYPE_SINT32));
    m.addField(field("f_sfixed32", 3, Type.TYPE_SFIXED32));
    m.addField(field("f_uint32", 4, Type.TYPE_UINT32));
    m.addField(field("f_fixed32", 5, Type.TYPE_FIXED32));
    m.addField(field("f_int64", 6, Type.TYPE_INT64));
    m.addField(field("f_sint64", 7, Type.TYPE_SINT64));
    m.addField(field("f_sfixed64", 8, Type.TYPE_SFIXED64));
    m.addField(field("f_uint64", 9, Type.TYPE_UINT64));
    m.addField(field("f_fixed64", 10, Type.TYPE_FIXED64));
    m.addField(field("f_bool", 11, Type.TYPE_BOOL));
    m.addField(field("f_float", 12, Type.TYPE_FLOAT));
    m.addField(field("f_double", 13, Type.TYPE_DOUBLE));
    m.addField(field("f_bytes", 15, Type.TYPE_BYTES));
    m.addField(color("color", 16));
    m.addField(field("choice_string", 25, Type.TYPE_STRING).setOneofIndex(0));
    m.addField(field("choice_double", 26, Type.TYPE_DOUBLE).setOneofIndex(0));
    m.addField(message("choice_ts", 27, TIMESTAMP_TYPE).setOneofIndex(0));
    optional(m, field("opt_int32", 17, Type.TYPE_INT32));
    optional(m, field("opt_string", 18, Type.TYPE_STRING));
    optional(m, field("opt_double", 19, Type.TYPE_DOUBLE));
    optional(m, color("opt_color", 20));
    optional(m, field("opt_uint32", 21, Type.TYPE_UINT32));
    optional(m, field("opt_bytes", 22, Type.TYPE_BYTES));
    optional(m, field("opt_bool", 23, Type.TYPE_BOOL));
    optional(m, field("opt_sint64", 24, Type.TYPE_SINT64));
    Type[] scalars = {Type.TYPE_INT32, Type.TYPE_SINT32, Type.TYPE_SFIXED32, Type.TYPE_UINT32, Type.TYPE_FIXED32,
        Type.TYPE_INT64, Type.TYPE_SINT64, Type.TYPE_SFIXED64, Type.TYPE_UINT64, Type.TYPE_FIXED64, Type.TYPE_BOOL,
        Type.TYPE_FLOAT, Type.TYPE_DOUBLE, Type.TYPE_STRING, Type.TYPE_BYTES};
    for (int i = 0; i < scalars.length; i++) {
      String name = "r_" + scalars[i].name().substring("TYPE_".length()).toLowerCase();
      m.addField(repeated(name, 30 + i, scalars[i]));
    }
    m.addField(color("r_color", 45).setLabel(Label.LABEL_REPEATED));
    m.addField(message("ts", 46, TIMESTAMP_TYPE));
    m.addField(message("r_ts", 47, TIMESTAMP_TYPE).setLabel(Label.LABEL_REPEATED));
    m.addField(message("w_string", 50, ".google.protobuf.StringValue"));
    m.addField(message("w_int32", 51, ".google.protobuf.Int32Value"));
    m.addField(message("w_uint32", 52, ".google.protobuf.UInt32Value"));
    m.addField(message("w_int64", 53, ".google.protobuf.Int64Value"));
    m.addField(message("w_uint64", 54, ".google.protobuf.UInt64Value"));
    m.addField(message("w_bool", 55, ".google.protobuf.BoolValue"));
    m.addField(message("w_double", 56, ".google.protobuf.DoubleValue"));
    m.addField(message("w_float", 57, ".google.protobuf.FloatValue"));
    m.addField(message("w_bytes", 58, ".google.protobuf.BytesValue"));
    m.addField(message("r_w_int32", 59, ".google.protobuf.Int32Value").setLabel(Label.LABEL_REPEATED));
    m.addField(message("inner", 60, "." + PKG + ".Inner"));
    m.addField(message("r_inner", 61, "." + PKG + ".Inner").setLabel(Label.LABEL_REPEATED));
    m.addNestedType(mapEntry("CountsEntry", field("key", 1, Type.TYPE_STRING), field("value", 2, Type.TYPE_INT64)));
    m.addField(message("counts", 62, "." + PKG + ".Everything.CountsEntry").setLabel(Label.LABEL_REPEATED));
    m.addNestedType(mapEntry("InnerByIdEntry", field("key", 1, Type.TYPE_SINT32), message("value", 2, "." + PKG + ".Inner")));
    m.addField(message("inner_by_id", 63, "." + PKG + ".Everything.InnerByIdEntry").setLabel(Label.LABEL_REPEATED));
    m.addField(message("tree", 64, "." + PKG + ".Node"));
    m.addField(field("mid", 2048, Type.TYPE_STRING));
    file.addMessageType(m);

    try {
      return FileDescriptor.buildFrom(file.build(),
          new FileDescriptor[] {TimestampProto.getDescriptor(), WrappersProto.getDescriptor()});
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException(e);
    }
  }

  // ------------------------------------------------------------------------------------------------
  // What is compared
  // ------------------------------------------------------------------------------------------------

  interface Parse {
    Message apply(ByteString bytes) throws InvalidProtocolBufferException;
  }

  record Schema(String name, Descriptor descriptor, ProtobufFlattener flattener, ProtobufColumnReader reader, Parse parse) {
    Object[] flatten(ByteString bytes) throws InvalidProtocolBufferException {
      return flattener.flatten(parse.apply(bytes));
    }
  }

  private static Schema schema(String name, Descriptor descriptor, boolean dynamic) {
    ProtobufFlattener flattener = new ProtobufFlattener(descriptor);
    Parse parse = dynamic ? bytes -> DynamicMessage.parseFrom(descriptor, bytes) : JiraIssue::parseFrom;
    return new Schema(name, descriptor, flattener, new ProtobufColumnReader(flattener), parse);
  }

  /** Ways to hand the same bytes to the reader: ByteString implementations differ in offsets and chunks. */
  static final int VIEWS = 4;

  static ByteString view(byte[] bytes, int kind) {
    switch (kind) {
      case 1: {
        // A substring of a larger array: the content starts at an offset, surrounded by bytes that would parse.
        byte[] padded = new byte[bytes.length + 7];
        Arrays.fill(padded, (byte) 0x08);
        System.arraycopy(bytes, 0, padded, 3, bytes.length);
        return ByteString.copyFrom(padded).substring(3, 3 + bytes.length);
      }
      case 2: {
        // Chunks of 7: a rope once the whole is 128 bytes or more.
        List<ByteString> chunks = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += 7) {
          chunks.add(ByteString.copyFrom(bytes, i, Math.min(7, bytes.length - i)));
        }
        return ByteString.copyFrom(chunks);
      }
      case 3: {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        return UnsafeByteOperations.unsafeWrap(direct);
      }
      default:
        return ByteString.copyFrom(bytes);
    }
  }

  /** What happened to some bytes. */
  enum Outcome { READ, NULL_PARSE_OK, NULL_PARSE_FAILS, NULL_FLATTEN_FAILS }

  static final class Violation extends Exception {
    Violation(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Checks the invariant for these bytes; throws {@link Violation} describing the first difference. With
   * {@code mustRead}, a null answer for bytes that parse is a violation too.
   */
  static Outcome check(Schema s, byte[] bytes, int viewKind, boolean mustRead) throws Violation {
    Object[] flat = null;
    boolean parseFails = false;
    RuntimeException flattenFailure = null;
    try {
      flat = s.flatten(ByteString.copyFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      parseFails = true;
    } catch (RuntimeException e) {
      flattenFailure = e;
    }
    Object[] actual;
    try {
      actual = s.reader().read(view(bytes, viewKind));
    } catch (RuntimeException | StackOverflowError e) {
      if (flattenFailure != null && flattenFailure.getClass() == e.getClass()) {
        return Outcome.NULL_FLATTEN_FAILS;
      }
      throw new Violation("read threw " + e + " at " + Arrays.toString(Arrays.copyOf(e.getStackTrace(), 4)));
    }
    if (parseFails) {
      if (actual != null) {
        throw new Violation("the full parse throws InvalidProtocolBufferException, but read returned "
            + render(actual));
      }
      return Outcome.NULL_PARSE_FAILS;
    }
    if (flattenFailure != null) {
      if (actual != null) {
        throw new Violation("flatten throws " + flattenFailure + ", but read returned " + render(actual));
      }
      return Outcome.NULL_FLATTEN_FAILS;
    }
    Object[] expected = (Object[]) utf8Reference(flat);
    // The helper the reader documents its answer by: the reference conversion, and its input untouched.
    Object[] helper = ProtobufColumnReader.utf8(flat);
    String helperDiff = diff(s.flattener().struct(), "", expected, helper);
    if (helperDiff != null) {
      throw new Violation("ProtobufColumnReader.utf8 differs from the reference conversion: " + helperDiff);
    }
    Object[] again;
    try {
      again = s.flatten(ByteString.copyFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
    String untouched = diff(s.flattener().struct(), "", again, flat);
    if (untouched != null) {
      throw new Violation("ProtobufColumnReader.utf8 changed its input: " + untouched);
    }
    if (actual == null) {
      if (mustRead) {
        throw new Violation("read returned null (refused the fast path) for an ordinary, well-formed message");
      }
      return Outcome.NULL_PARSE_OK;
    }
    String difference = diff(s.flattener().struct(), "", expected, actual);
    if (difference != null) {
      throw new Violation("read differs from utf8(flatten(parse)): " + difference);
    }
    return Outcome.READ;
  }

  /** Checks the bytes through every ByteString view; on a violation, fails with a minimized reproduction. */
  static Outcome checkAllViews(Schema s, byte[] bytes, boolean mustRead, String context) {
    Outcome outcome = null;
    for (int kind = 0; kind < VIEWS; kind++) {
      try {
        Outcome o = check(s, bytes, kind, mustRead);
        if (outcome == null) {
          outcome = o;
        }
      } catch (Violation v) {
        report(s, bytes, kind, mustRead, context, v);
      }
    }
    return outcome;
  }

  private static void report(Schema s, byte[] bytes, int kind, boolean mustRead, String context, Violation v) {
    final int k = kind;
    Predicate<byte[]> fails = b -> {
      try {
        check(s, b, k, mustRead);
        return false;
      } catch (Violation again) {
        return true;
      }
    };
    byte[] minimal = minimizeRecords(bytes, fails);
    if (!mustRead) {
      minimal = minimizeBytes(minimal, fails);
    }
    String minimalViolation;
    try {
      check(s, minimal, kind, mustRead);
      minimalViolation = "(no longer fails)";
    } catch (Violation again) {
      minimalViolation = again.getMessage();
    }
    StringBuilder text = new StringBuilder();
    text.append(s.name()).append(": ").append(v.getMessage())
        .append("\n  context: ").append(context)
        .append("\n  ByteString view: ").append(kind)
        .append("\n  bytes (").append(bytes.length).append("): ").append(HexFormat.of().formatHex(bytes))
        .append("\n  minimized (").append(minimal.length).append("): ").append(HexFormat.of().formatHex(minimal))
        .append("\n  minimized violation: ").append(minimalViolation)
        .append("\n  minimized as parsed: ").append(describe(s, minimal));
    fail(text.toString());
  }

  private static String describe(Schema s, byte[] bytes) {
    try {
      String text = s.parse().apply(ByteString.copyFrom(bytes)).toString().replace("\n", " | ");
      return text.isEmpty() ? "(empty message)" : text;
    } catch (InvalidProtocolBufferException e) {
      return "(parse fails: " + e.getMessage() + ")";
    }
  }

  /** Drops whole top-level fields while the failure persists. */
  private static byte[] minimizeRecords(byte[] bytes, Predicate<byte[]> fails) {
    List<Rec> records;
    try {
      records = decode(bytes);
    } catch (IOException e) {
      return bytes;
    }
    boolean progress = true;
    while (progress) {
      progress = false;
      for (int i = 0; i < records.size(); i++) {
        List<Rec> fewer = new ArrayList<>(records);
        fewer.remove(i);
        if (fails.test(encode(fewer))) {
          records = fewer;
          progress = true;
          i--;
        }
      }
    }
    return encode(records);
  }

  /** Drops byte ranges (halving their size) while the failure persists. */
  private static byte[] minimizeBytes(byte[] bytes, Predicate<byte[]> fails) {
    for (int chunk = Math.max(1, bytes.length / 2); chunk >= 1; chunk /= 2) {
      for (int at = 0; at + chunk <= bytes.length; ) {
        byte[] shorter = new byte[bytes.length - chunk];
        System.arraycopy(bytes, 0, shorter, 0, at);
        System.arraycopy(bytes, at + chunk, shorter, at, bytes.length - at - chunk);
        if (fails.test(shorter)) {
          bytes = shorter;
        } else {
          at++;
        }
      }
      if (chunk == 1) {
        break;
      }
    }
    return bytes;
  }

  // ------------------------------------------------------------------------------------------------
  // Deep equality, with the column names on the way to a difference
  // ------------------------------------------------------------------------------------------------

  /** Every String (at any depth) as its UTF-8 bytes: an independent reference for ProtobufColumnReader.utf8. */
  static Object utf8Reference(Object value) {
    return mapLeaves(value, v -> v instanceof String s ? s.getBytes(UTF_8) : v);
  }

  /** The column value with every leaf (below structs and lists) replaced by {@code leaf}'s answer; the input is not changed. */
  static Object mapLeaves(Object value, java.util.function.UnaryOperator<Object> leaf) {
    if (value instanceof Object[] struct) {
      Object[] copy = new Object[struct.length];
      for (int i = 0; i < struct.length; i++) {
        copy[i] = mapLeaves(struct[i], leaf);
      }
      return copy;
    }
    if (value instanceof List<?> list) {
      List<Object> copy = new ArrayList<>(list.size());
      for (Object element : list) {
        copy.add(mapLeaves(element, leaf));
      }
      return copy;
    }
    return leaf.apply(value);
  }

  /**
   * The first difference between two column values, null when deep-equal: Object[] and List element-wise,
   * byte[] by content, anything else by class and equals (so Integer 0 differs from Long 0, -0.0 from 0.0,
   * and NaN equals NaN, as Double.equals has it).
   */
  static String diff(ColumnType type, String path, Object expected, Object actual) {
    if (expected == null || actual == null) {
      return expected == actual ? null : mismatch(path, expected, actual);
    }
    if (expected instanceof Object[] e) {
      if (!(actual instanceof Object[] a) || a.length != e.length) {
        return mismatch(path, expected, actual);
      }
      List<ColumnType.Field> fields = type instanceof ColumnType.Struct struct ? struct.fields() : null;
      for (int i = 0; i < e.length; i++) {
        boolean named = fields != null && fields.size() == e.length;
        String d = diff(named ? fields.get(i).type() : null,
            path + (named ? "." + fields.get(i).name() : "[" + i + "]"), e[i], a[i]);
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (expected instanceof List<?> e) {
      if (!(actual instanceof List<?> a) || a.size() != e.size()) {
        return mismatch(path, expected, actual);
      }
      ColumnType element = type instanceof ColumnType.Array array ? array.element() : null;
      for (int i = 0; i < e.size(); i++) {
        String d = diff(element, path + "[" + i + "]", e.get(i), a.get(i));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (expected instanceof byte[] e) {
      // A slice of the input where it lies in one array, an array of its own otherwise: the same bytes either way.
      byte[] a = actual instanceof ByteSlice slice ? slice.toByteArray() : actual instanceof byte[] b ? b : null;
      return a != null && Arrays.equals(e, a) ? null : mismatch(path, expected, actual);
    }
    if (expected.getClass() != actual.getClass() || !expected.equals(actual)) {
      return mismatch(path, expected, actual);
    }
    return null;
  }

  private static String mismatch(String path, Object expected, Object actual) {
    return (path.isEmpty() ? "row" : path) + ": expected " + render(expected) + " but was " + render(actual);
  }

  static String render(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Object[] struct) {
      StringBuilder sb = new StringBuilder("{");
      for (int i = 0; i < struct.length; i++) {
        sb.append(i == 0 ? "" : ", ").append(render(struct[i]));
      }
      return sb.append('}').toString();
    }
    if (v instanceof List<?> list) {
      StringBuilder sb = new StringBuilder("[");
      for (int i = 0; i < list.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(render(list.get(i)));
      }
      return sb.append(']').toString();
    }
    if (v instanceof byte[] b) {
      return "bytes'" + HexFormat.of().formatHex(b) + "'";
    }
    if (v instanceof ByteSlice slice) {
      return "slice'" + HexFormat.of().formatHex(slice.toByteArray()) + "'";
    }
    if (v instanceof String s) {
      return "String\"" + s + "\"";
    }
    if (v instanceof Long) {
      return v + "L";
    }
    if (v instanceof Float f) {
      return f + "f(bits " + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
    }
    if (v instanceof Double d) {
      return d + "d(bits " + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
    }
    return v + "(" + v.getClass().getSimpleName() + ")";
  }

  // ------------------------------------------------------------------------------------------------
  // Random messages
  // ------------------------------------------------------------------------------------------------

  static final long MIN_SECONDS = -62_135_596_800L; // 0001-01-01
  static final long MAX_SECONDS = 253_402_300_799L; // 9999-12-31T23:59:59
  private static final String[] WORDS = {"", "a", "hello", "Grüße", "naïve café", "日本語テキスト", "Ελληνικά",
      "emoji 🚀🎉", "𝄞 music", "\u0000nul", "tab\tnew\nline", "\uFFFF\uFEFF\uFFFE", "\uD83D\uDE00", "mixé🚀ü",
      "\u007F\u0080\u07FF\u0800\uD7FF\uE000", "\uDBFF\uDFFF"};
  private static final int[] INTS = {0, 1, -1, 2, Integer.MIN_VALUE, Integer.MAX_VALUE, 127, 128, -128, 255, 256,
      16_383, 16_384, 65_535, -65_536, 0x7FFF_FFFE, 0x8000_0001, 0xFFFF_FFFE};
  private static final long[] LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 127, 128, 1L << 31, 1L << 32,
      0xFFFF_FFFFL, -(1L << 31), 1L << 35, 1L << 56, (1L << 63) + 1, 0x7FFF_FFFF_FFFF_FFFEL};
  private static final float[] FLOATS = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
      Float.MIN_VALUE, Float.MAX_VALUE, Float.MIN_NORMAL, 1.5f, -2.25f, Float.intBitsToFloat(0x7FC0_0001),
      Float.intBitsToFloat(0xFFC0_0000)};
  private static final double[] DOUBLES = {0d, -0d, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 1.5, -2.25, 1e300, -1e-300,
      Double.longBitsToDouble(0x7FF8_0000_0000_0001L), Double.longBitsToDouble(0xFFF8_0000_0000_0000L)};
  private static final double[] DENSITIES = {0, 0.05, 0.2, 0.5, 0.8, 1};

  static boolean isWrapper(Descriptor d) {
    return ProtobufFlattener.WRAPPERS.contains(d.getFullName());
  }

  static boolean isTimestamp(Descriptor d) {
    return d.getFullName().equals(ProtobufFlattener.TIMESTAMP);
  }

  static final class Gen {
    final Random r;
    /** Out-of-range timestamps, map entries and recursion past the cut-off. */
    final boolean wild;
    /** Smaller lists, for messages whose every prefix is checked. */
    final boolean small;
    /** The deepest Node (the top-level message is depth 0). */
    final int maxDepth;

    Gen(Random r, boolean wild, boolean small) {
      this.r = r;
      this.wild = wild;
      this.small = small;
      // An ordinary message stays within the flattener's cut-off (depth 8): a Node at depth 8 has no child.
      this.maxDepth = small ? r.nextInt(4) : wild ? r.nextInt(13) : r.nextInt(9);
    }

    DynamicMessage message(Descriptor d, int depth) {
      DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
      if (isTimestamp(d)) {
        timestamp(b, d);
        return b.build();
      }
      if (isWrapper(d)) {
        if (r.nextInt(6) != 0) { // else present but empty
          FieldDescriptor v = d.findFieldByName("value");
          b.setField(v, scalar(v, depth));
        }
        return b.build();
      }
      double density = DENSITIES[r.nextInt(DENSITIES.length)];
      List<FieldDescriptor> fields = new ArrayList<>(d.getFields());
      Collections.shuffle(fields, r); // the oneof member set last wins
      for (FieldDescriptor f : fields) {
        boolean recursive = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && f.getMessageType() == d;
        if (recursive) {
          if (depth >= maxDepth || r.nextDouble() >= (f.isRepeated() ? (depth < 3 ? 0.4 : 0) : 0.85)) {
            continue;
          }
        } else if (r.nextDouble() >= density && !(f.getName().equals("tree") && r.nextInt(3) == 0)) {
          continue;
        }
        if (f.isMapField()) {
          if (wild) {
            for (int i = r.nextInt(4); i > 0; i--) {
              b.addRepeatedField(f, message(f.getMessageType(), depth + 1));
            }
          }
          continue;
        }
        if (f.isRepeated()) {
          for (int i = listSize(f); i > 0; i--) {
            b.addRepeatedField(f, scalar(f, depth));
          }
        } else {
          b.setField(f, scalar(f, depth));
        }
      }
      return b.build();
    }

    private void timestamp(DynamicMessage.Builder b, Descriptor d) {
      long seconds;
      int nanos;
      if (wild && r.nextInt(4) == 0) {
        // Outside the range of valid timestamps, but within what micros can hold (and once in a while not).
        seconds = r.nextLong() % 9_223_372_036_000L;
        nanos = r.nextInt();
        if (r.nextInt(40) == 0) {
          seconds = r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE / 999_999;
        }
      } else {
        long[] notable = {0, -1, 1, MIN_SECONDS, MAX_SECONDS, 1_700_000_000L};
        seconds = r.nextBoolean() ? notable[r.nextInt(notable.length)]
            : MIN_SECONDS + Math.floorMod(r.nextLong(), MAX_SECONDS - MIN_SECONDS + 1);
        int[] notableNanos = {0, 999_999_999, 1_000 * r.nextInt(1_000_000), r.nextInt(1_000_000_000), 999, 1_000};
        nanos = notableNanos[r.nextInt(notableNanos.length)];
      }
      b.setField(d.findFieldByName("seconds"), seconds);
      b.setField(d.findFieldByName("nanos"), nanos);
    }

    int listSize(FieldDescriptor f) {
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        return r.nextInt(small ? 2 : 4);
      }
      if (small) {
        return r.nextInt(3);
      }
      int k = r.nextInt(10);
      return k == 0 ? 0 : k == 1 ? 130 + r.nextInt(80) : 1 + r.nextInt(5);
    }

    Object scalar(FieldDescriptor f, int depth) {
      return switch (f.getJavaType()) {
        case INT -> anInt();
        case LONG -> aLong();
        case FLOAT -> aFloat();
        case DOUBLE -> aDouble();
        case BOOLEAN -> r.nextBoolean();
        case STRING -> aString();
        case BYTE_STRING -> ByteString.copyFrom(someBytes());
        case ENUM -> {
          List<EnumValueDescriptor> values = f.getEnumType().getValues();
          yield values.get(r.nextInt(values.size()));
        }
        case MESSAGE -> message(f.getMessageType(), depth + 1);
      };
    }

    int anInt() {
      return switch (r.nextInt(4)) {
        case 0 -> INTS[r.nextInt(INTS.length)];
        case 1 -> r.nextInt();
        case 2 -> r.nextInt(200) - 100;
        default -> r.nextInt() >> r.nextInt(32);
      };
    }

    long aLong() {
      return switch (r.nextInt(4)) {
        case 0 -> LONGS[r.nextInt(LONGS.length)];
        case 1 -> r.nextLong();
        case 2 -> r.nextInt(200) - 100;
        default -> r.nextLong() >> r.nextInt(64);
      };
    }

    float aFloat() {
      return switch (r.nextInt(3)) {
        case 0 -> FLOATS[r.nextInt(FLOATS.length)];
        case 1 -> (r.nextFloat() - 0.5f) * (float) Math.pow(10, r.nextInt(20));
        default -> Float.intBitsToFloat(r.nextInt());
      };
    }

    double aDouble() {
      return switch (r.nextInt(3)) {
        case 0 -> DOUBLES[r.nextInt(DOUBLES.length)];
        case 1 -> (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(40) - 10);
        default -> Double.longBitsToDouble(r.nextLong());
      };
    }

    String aString() {
      switch (r.nextInt(7)) {
        case 0:
          return "";
        case 1:
        case 2:
          return WORDS[r.nextInt(WORDS.length)];
        case 3: {
          StringBuilder sb = new StringBuilder();
          for (int i = r.nextInt(small ? 4 : 12); i > 0; i--) {
            sb.appendCodePoint(codePoint());
          }
          return sb.toString();
        }
        case 4: {
          if (small) {
            return "x";
          }
          StringBuilder sb = new StringBuilder();
          while (sb.length() < 128 + r.nextInt(300)) {
            sb.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
          }
          return sb.toString();
        }
        case 5:
          // A lone surrogate: the builder writes it as '?', which is what the parse then reads.
          return r.nextInt(4) == 0 ? (r.nextBoolean() ? "a\uD800b" : "\uDC00") : "plain";
        default: {
          char[] chars = new char[1 + r.nextInt(10)];
          for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (0x20 + r.nextInt(0x5F));
          }
          return new String(chars);
        }
      }
    }

    int codePoint() {
      return switch (r.nextInt(4)) {
        case 0 -> 0x20 + r.nextInt(0x5F);
        case 1 -> 0x80 + r.nextInt(0x780);
        case 2 -> {
          int c = 0x800 + r.nextInt(0xF800);
          yield c >= 0xD800 && c <= 0xDFFF ? c + 0x800 : c;
        }
        default -> 0x10000 + r.nextInt(0x100000);
      };
    }

    byte[] someBytes() {
      byte[] b = new byte[switch (r.nextInt(5)) {
        case 0 -> 0;
        case 1 -> small ? 1 : 150 + r.nextInt(100);
        default -> r.nextInt(small ? 4 : 20);
      }];
      r.nextBytes(b);
      return b;
    }
  }

  // ------------------------------------------------------------------------------------------------
  // The wire format, by hand
  // ------------------------------------------------------------------------------------------------

  /**
   * One field on the wire. wireType 0: {@code raw} if not null (an exact, perhaps over-long, varint), else
   * {@code varint}; 1 and 5: raw; 2: raw is the content (the length is written); 3: raw is the group's
   * content (an end tag follows); 4, 6, 7: the tag alone.
   */
  record Rec(int number, int wireType, long varint, byte[] raw) {
    static Rec varint(int number, long value) {
      return new Rec(number, 0, value, null);
    }

    static Rec len(int number, byte[] content) {
      return new Rec(number, 2, 0, content);
    }
  }

  static void writeTag(CodedOutputStream out, int number, int wireType) throws IOException {
    out.writeUInt32NoTag((number << 3) | wireType);
  }

  static byte[] encode(List<Rec> records) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      for (Rec rec : records) {
        writeTag(out, rec.number(), rec.wireType());
        switch (rec.wireType()) {
          case 0 -> {
            if (rec.raw() != null) {
              out.writeRawBytes(rec.raw());
            } else {
              out.writeUInt64NoTag(rec.varint());
            }
          }
          case 1, 5 -> out.writeRawBytes(rec.raw());
          case 2 -> {
            out.writeUInt32NoTag(rec.raw().length);
            out.writeRawBytes(rec.raw());
          }
          case 3 -> {
            out.writeRawBytes(rec.raw());
            writeTag(out, rec.number(), 4);
          }
          default -> { }
        }
      }
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  static List<Rec> decode(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    List<Rec> records = new ArrayList<>();
    while (!in.isAtEnd()) {
      int tag = in.readTag();
      int number = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      switch (wireType) {
        case 0 -> records.add(Rec.varint(number, in.readRawVarint64()));
        case 1 -> records.add(new Rec(number, 1, 0, in.readRawBytes(8)));
        case 2 -> records.add(Rec.len(number, in.readByteArray()));
        case 5 -> records.add(new Rec(number, 5, 0, in.readRawBytes(4)));
        case 3 -> {
          int start = in.getTotalBytesRead();
          in.skipField(tag);
          int endTag = CodedOutputStream.computeUInt32SizeNoTag((number << 3) | 4);
          records.add(new Rec(number, 3, 0, Arrays.copyOfRange(bytes, start, in.getTotalBytesRead() - endTag)));
        }
        default -> throw new IOException("wire type " + wireType);
      }
    }
    return records;
  }

  /** The payload of a packed element (no tag). */
  static byte[] elementBytes(Rec element) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      if (element.wireType() == 0) {
        if (element.raw() != null) {
          out.writeRawBytes(element.raw());
        } else {
          out.writeUInt64NoTag(element.varint());
        }
      } else {
        out.writeRawBytes(element.raw());
      }
      out.flush();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return bytes.toByteArray();
  }

  static Rec pack(int number, List<Rec> elements) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (Rec e : elements) {
      content.writeBytes(elementBytes(e));
    }
    return Rec.len(number, content.toByteArray());
  }

  static List<Rec> unpack(FieldDescriptor f, byte[] content) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(content);
    int wireType = f.getLiteType().getWireType();
    List<Rec> elements = new ArrayList<>();
    while (!in.isAtEnd()) {
      elements.add(switch (wireType) {
        case 0 -> Rec.varint(f.getNumber(), in.readRawVarint64());
        case 1 -> new Rec(f.getNumber(), 1, 0, in.readRawBytes(8));
        case 5 -> new Rec(f.getNumber(), 5, 0, in.readRawBytes(4));
        default -> throw new IOException("not packable");
      });
    }
    return elements;
  }

  /** A varint in {@code length} bytes (over-long when longer than needed); 11 bytes is malformed. */
  static byte[] longVarint(long value, int length) {
    byte[] out = new byte[length];
    for (int i = 0; i < length; i++) {
      out[i] = (byte) ((value & 0x7F) | (i < length - 1 ? 0x80 : 0));
      value >>>= 7;
    }
    return out;
  }

  static int varintLength(long value) {
    return CodedOutputStream.computeUInt64SizeNoTag(value);
  }

  private static final byte[][] INVALID_UTF8 = {
      {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC0, (byte) 0x80},
      {(byte) 0xE0, (byte) 0x80, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {'o', 'k', (byte) 0xE2, (byte) 0x82}};
  private static final byte[][] TRICKY_VALID_UTF8 = {
      {}, {0}, {(byte) 0xF4, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF},
      {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, {(byte) 0xED, (byte) 0x9F, (byte) 0xBF},
      {(byte) 0xEE, (byte) 0x80, (byte) 0x80}, {(byte) 0xF0, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0xC2, (byte) 0x80, (byte) 0xDF, (byte) 0xBF}};
  private static final int[] UNDEFINED_ENUM_NUMBERS = {4, 7, 99, -2, 1 << 20, Integer.MAX_VALUE - 1,
      Integer.MIN_VALUE + 1};

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** Mutates valid wire bytes into the paths a plain builder never takes. */
  static final class Mutator {
    final Random r;
    final Gen gen;
    final List<String> applied = new ArrayList<>();

    Mutator(Random r) {
      this.r = r;
      this.gen = new Gen(r, true, false);
    }

    byte[] mutate(byte[] bytes, Descriptor d, int depth) {
      List<Rec> records;
      try {
        records = decode(bytes);
      } catch (IOException e) {
        applied.add("corrupt(undecodable)");
        return corrupt(bytes);
      }
      for (int k = 1 + r.nextInt(3); k > 0; k--) {
        apply(records, d, depth);
      }
      byte[] out = encode(records);
      if (depth == 0 && r.nextInt(8) == 0) {
        out = corrupt(out);
      }
      return out;
    }

    private int at(List<Rec> records) {
      return r.nextInt(records.size() + 1);
    }

    private void apply(List<Rec> records, Descriptor d, int depth) {
      int op = r.nextInt(17);
      switch (op) {
        case 0 -> unknownField(records, d);
        case 1 -> {
          if (records.isEmpty()) {
            unknownField(records, d);
          } else {
            Rec rec = records.get(r.nextInt(records.size()));
            records.add(at(records), rec);
            applied.add("duplicate(" + rec.number() + ")");
          }
        }
        case 2 -> wrongWireType(records, d);
        case 3 -> strings(records, d);
        case 4 -> undefinedEnum(records, d);
        case 5 -> packedUnpacked(records, d);
        case 6 -> secondOneofMember(records, d);
        case 7 -> varints(records, d);
        case 8 -> explicitDefault(records, d);
        case 9 -> {
          Collections.shuffle(records, r);
          applied.add("shuffle");
        }
        case 10 -> {
          if (!records.isEmpty()) {
            records.remove(r.nextInt(records.size()));
            applied.add("delete");
          }
        }
        case 11, 12 -> nested(records, d, depth);
        case 13 -> anotherMessage(records, d);
        case 14 -> {
          // A fresh, valid encoding of some field of the type.
          FieldDescriptor f = d.getFields().get(r.nextInt(d.getFields().size()));
          records.addAll(at(records), recordsFor(d, f));
          applied.add("add(" + f.getName() + ")");
        }
        case 15 -> emptyPacked(records, d);
        default -> unknownGroup(records, d);
      }
    }

    /** Encodings of one random value (or list) of the field, as a lone field of its type. */
    List<Rec> recordsFor(Descriptor d, FieldDescriptor f) {
      DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
      if (f.isMapField()) {
        b.addRepeatedField(f, gen.message(f.getMessageType(), 1));
      } else if (f.isRepeated()) {
        for (int i = 1 + r.nextInt(4); i > 0; i--) {
          b.addRepeatedField(f, gen.scalar(f, 1));
        }
      } else {
        b.setField(f, gen.scalar(f, 1));
      }
      try {
        return decode(b.build().toByteArray());
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private int unusedNumber(Descriptor d) {
      int[] candidates = {99, 100, 1000, 5000, 19_000, 536_870_910, 1 + r.nextInt(80), 1 + r.nextInt((1 << 29) - 1)};
      while (true) {
        int n = candidates[r.nextInt(candidates.length)];
        if (n >= 1 && d.findFieldByNumber(n) == null) {
          return n;
        }
      }
    }

    private Rec randomPayload(int number, int wireType) {
      return switch (wireType) {
        case 0 -> r.nextBoolean() ? Rec.varint(number, gen.aLong()) : new Rec(number, 0, 0, longVarint(r.nextInt(100), 1 + r.nextInt(10)));
        case 1 -> {
          byte[] b = new byte[8];
          r.nextBytes(b);
          yield new Rec(number, 1, 0, b);
        }
        case 5 -> {
          byte[] b = new byte[4];
          r.nextBytes(b);
          yield new Rec(number, 5, 0, b);
        }
        case 3 -> new Rec(number, 3, 0, encode(randomRecords(1 + r.nextInt(3), true)));
        default -> Rec.len(number, switch (r.nextInt(4)) {
          case 0 -> INVALID_UTF8[r.nextInt(INVALID_UTF8.length)];
          case 1 -> gen.aString().getBytes(UTF_8);
          case 2 -> encode(randomRecords(1 + r.nextInt(3), false));
          default -> gen.someBytes();
        });
      };
    }

    private List<Rec> randomRecords(int n, boolean groups) {
      List<Rec> records = new ArrayList<>();
      int[] types = groups ? new int[] {0, 1, 2, 5, 3} : new int[] {0, 1, 2, 5};
      for (int i = 0; i < n; i++) {
        records.add(randomPayload(1 + r.nextInt(40), types[r.nextInt(types.length)]));
      }
      return records;
    }

    private void unknownField(List<Rec> records, Descriptor d) {
      int wireType = new int[] {0, 1, 2, 5}[r.nextInt(4)];
      records.add(at(records), randomPayload(unusedNumber(d), wireType));
      applied.add("unknown(wt " + wireType + ")");
    }

    private void unknownGroup(List<Rec> records, Descriptor d) {
      records.add(at(records), randomPayload(unusedNumber(d), 3));
      applied.add("unknownGroup");
    }

    private void wrongWireType(List<Rec> records, Descriptor d) {
      FieldDescriptor f = d.getFields().get(r.nextInt(d.getFields().size()));
      int[] types = {0, 1, 2, 5, 3};
      int wireType = types[r.nextInt(types.length)];
      records.add(at(records), randomPayload(f.getNumber(), wireType));
      applied.add("wireType(" + f.getName() + ", " + wireType + ")");
    }

    private void strings(List<Rec> records, Descriptor d) {
      List<FieldDescriptor> strings = d.getFields().stream()
          .filter(f -> f.getType() == FieldDescriptor.Type.STRING).toList();
      if (strings.isEmpty()) {
        unknownField(records, d);
        return;
      }
      FieldDescriptor f = strings.get(r.nextInt(strings.size()));
      boolean valid = r.nextBoolean();
      byte[] core = valid ? TRICKY_VALID_UTF8[r.nextInt(TRICKY_VALID_UTF8.length)]
          : INVALID_UTF8[r.nextInt(INVALID_UTF8.length)];
      byte[] content = r.nextBoolean() ? core : concat("é".getBytes(UTF_8), core, "🚀".getBytes(UTF_8));
      records.add(at(records), Rec.len(f.getNumber(), content));
      applied.add((valid ? "trickyUtf8(" : "invalidUtf8(") + f.getName() + ")");
    }

    private void undefinedEnum(List<Rec> records, Descriptor d) {
      List<FieldDescriptor> enums = d.getFields().stream()
          .filter(f -> f.getJavaType() == FieldDescriptor.JavaType.ENUM).toList();
      if (enums.isEmpty()) {
        unknownField(records, d);
        return;
      }
      FieldDescriptor f = enums.get(r.nextInt(enums.size()));
      int number = UNDEFINED_ENUM_NUMBERS[r.nextInt(UNDEFINED_ENUM_NUMBERS.length)];
      // A negative number as 10 sign-extended bytes, or as its 5-byte 32-bit form.
      long raw = r.nextBoolean() ? number : number & 0xFFFF_FFFFL;
      if (f.isRepeated() && r.nextBoolean()) {
        records.add(at(records), pack(f.getNumber(), List.of(Rec.varint(f.getNumber(), 1), Rec.varint(f.getNumber(), raw),
            Rec.varint(f.getNumber(), 3))));
      } else {
        records.add(at(records), Rec.varint(f.getNumber(), raw));
      }
      applied.add("undefinedEnum(" + f.getName() + ", " + number + ")");
    }

    private void packedUnpacked(List<Rec> records, Descriptor d) {
      List<Integer> packed = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        FieldDescriptor f = d.findFieldByNumber(records.get(i).number());
        if (f != null && f.isPackable() && records.get(i).wireType() == 2) {
          packed.add(i);
        }
      }
      if (packed.isEmpty()) {
        List<FieldDescriptor> packable = d.getFields().stream().filter(FieldDescriptor::isPackable).toList();
        if (packable.isEmpty()) {
          unknownField(records, d);
          return;
        }
        records.addAll(at(records), recordsFor(d, packable.get(r.nextInt(packable.size()))));
        return;
      }
      int i = packed.get(r.nextInt(packed.size()));
      Rec rec = records.remove(i);
      FieldDescriptor f = d.findFieldByNumber(rec.number());
      List<Rec> elements;
      try {
        elements = unpack(f, rec.raw());
      } catch (IOException e) {
        records.add(i, rec); // a packed record already made malformed: leave it
        return;
      }
      // Some elements alone, the rest in packed runs, in order.
      List<Rec> out = new ArrayList<>();
      List<Rec> run = new ArrayList<>();
      for (Rec e : elements) {
        if (r.nextBoolean()) {
          if (!run.isEmpty()) {
            out.add(pack(f.getNumber(), run));
            run = new ArrayList<>();
          }
          out.add(e);
        } else {
          run.add(e);
        }
      }
      if (!run.isEmpty()) {
        out.add(pack(f.getNumber(), run));
      }
      records.addAll(i, out);
      applied.add("unpack(" + f.getName() + ")");
    }

    private void emptyPacked(List<Rec> records, Descriptor d) {
      List<FieldDescriptor> packable = d.getFields().stream().filter(FieldDescriptor::isPackable).toList();
      if (packable.isEmpty()) {
        unknownField(records, d);
        return;
      }
      FieldDescriptor f = packable.get(r.nextInt(packable.size()));
      records.add(at(records), Rec.len(f.getNumber(), new byte[0]));
      applied.add("emptyPacked(" + f.getName() + ")");
    }

    private void secondOneofMember(List<Rec> records, Descriptor d) {
      List<OneofDescriptor> oneofs = d.getRealOneofs();
      if (oneofs.isEmpty()) {
        anotherMessage(records, d);
        return;
      }
      OneofDescriptor oneof = oneofs.get(r.nextInt(oneofs.size()));
      FieldDescriptor f = oneof.getField(r.nextInt(oneof.getFieldCount()));
      records.addAll(at(records), recordsFor(d, f));
      applied.add("oneof(" + f.getName() + ")");
    }

    /** A second occurrence of a singular message field: the parse merges the two. */
    private void anotherMessage(List<Rec> records, Descriptor d) {
      List<FieldDescriptor> messages = d.getFields().stream()
          .filter(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !f.isRepeated()).toList();
      if (messages.isEmpty()) {
        unknownField(records, d);
        return;
      }
      FieldDescriptor f = messages.get(r.nextInt(messages.size()));
      records.addAll(at(records), recordsFor(d, f));
      applied.add("message(" + f.getName() + ")");
    }

    private void varints(List<Rec> records, Descriptor d) {
      List<Integer> varints = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        if (records.get(i).wireType() == 0 && records.get(i).raw() == null) {
          varints.add(i);
        }
      }
      if (varints.isEmpty()) {
        explicitDefault(records, d);
        return;
      }
      int i = varints.get(r.nextInt(varints.size()));
      Rec rec = records.get(i);
      long v = rec.varint();
      switch (r.nextInt(4)) {
        case 0 -> {
          // Over-long: up to 10 bytes, the parse accepts it.
          int length = varintLength(v) + r.nextInt(10 - varintLength(v) + 1);
          records.set(i, new Rec(rec.number(), 0, 0, longVarint(v, length)));
          applied.add("overlongVarint(" + rec.number() + ")");
        }
        case 1 -> {
          // Bits above 32 (a 32-bit field keeps the low ones, a bool is true for any non-zero).
          records.set(i, Rec.varint(rec.number(), v ^ ((long) (1 + r.nextInt(1 << 20)) << 32)));
          applied.add("highBits(" + rec.number() + ")");
        }
        case 2 -> {
          // The 32-bit form of a sign-extended negative.
          records.set(i, Rec.varint(rec.number(), v & 0xFFFF_FFFFL));
          applied.add("low32(" + rec.number() + ")");
        }
        default -> {
          // 10 bytes whose last carries bits past 64 (accepted), or 11 bytes (malformed).
          byte[] raw = longVarint(v, 10);
          if (r.nextBoolean()) {
            raw[9] = (byte) (raw[9] | 0x7E);
          } else {
            raw = Arrays.copyOf(raw, 11);
            raw[9] = (byte) (raw[9] | 0x80);
            raw[10] = 1;
          }
          records.set(i, new Rec(rec.number(), 0, 0, raw));
          applied.add("tenByteVarint(" + rec.number() + ")");
        }
      }
    }

    private void explicitDefault(List<Rec> records, Descriptor d) {
      FieldDescriptor f = d.getFields().get(r.nextInt(d.getFields().size()));
      int wireType = f.getLiteType().getWireType();
      Rec rec = switch (wireType) {
        case 0 -> Rec.varint(f.getNumber(), 0);
        case 1 -> new Rec(f.getNumber(), 1, 0, new byte[8]);
        case 5 -> new Rec(f.getNumber(), 5, 0, new byte[4]);
        default -> Rec.len(f.getNumber(), new byte[0]);
      };
      records.add(at(records), rec);
      applied.add("explicitDefault(" + f.getName() + ")");
    }

    private void nested(List<Rec> records, Descriptor d, int depth) {
      List<Integer> messages = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        FieldDescriptor f = d.findFieldByNumber(records.get(i).number());
        if (f != null && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && records.get(i).wireType() == 2) {
          messages.add(i);
        }
      }
      if (messages.isEmpty() || depth > 12) {
        anotherMessage(records, d);
        return;
      }
      int i = messages.get(r.nextInt(messages.size()));
      Rec rec = records.get(i);
      FieldDescriptor f = d.findFieldByNumber(rec.number());
      applied.add("into(" + f.getName() + ")");
      records.set(i, Rec.len(rec.number(), mutate(rec.raw(), f.getMessageType(), depth + 1)));
    }

    byte[] corrupt(byte[] bytes) {
      switch (r.nextInt(6)) {
        case 0 -> {
          applied.add("truncate");
          return Arrays.copyOf(bytes, bytes.length == 0 ? 0 : r.nextInt(bytes.length));
        }
        case 1 -> {
          if (bytes.length > 0) {
            byte[] out = bytes.clone();
            out[r.nextInt(out.length)] ^= (byte) (1 << r.nextInt(8));
            applied.add("flipBit");
            return out;
          }
          return bytes;
        }
        case 2 -> {
          int at = r.nextInt(bytes.length + 1);
          byte[] out = new byte[bytes.length + 1];
          System.arraycopy(bytes, 0, out, 0, at);
          out[at] = (byte) r.nextInt();
          System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
          applied.add("insertByte");
          return out;
        }
        case 3 -> {
          // A stray end-group tag, field number 0, or wire types 6 and 7.
          int[] tags = {(1 << 3) | 4, 0, (1 << 3) | 6, (14 << 3) | 7, (1000 << 3) | 4};
          int tag = tags[r.nextInt(tags.length)];
          applied.add("badTag(" + tag + ")");
          return concat(bytes, longVarint(tag, varintLength(tag)), new byte[] {0});
        }
        case 4 -> {
          // A length running past the end.
          applied.add("longLength");
          return concat(bytes, new byte[] {(byte) (14 << 3 | 2), 5, 'a'});
        }
        default -> {
          // A group whose end tag names another field.
          applied.add("mismatchedGroup");
          return concat(bytes, new byte[] {(byte) 0xC3, 0x3E, 0x08, 0x01, (byte) 0xA4, 0x3F});
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------
  // Properties
  // ------------------------------------------------------------------------------------------------

  /**
   * Runs the check and counts its outcome (a failure counted too: jqwik's statistics report would otherwise
   * replace the failure of a first try with an error of its own).
   */
  private static void counted(java.util.function.Supplier<Outcome> check) {
    Outcome outcome;
    try {
      outcome = check.get();
    } catch (AssertionError e) {
      Statistics.label("outcome").collect("VIOLATION");
      throw e;
    }
    Statistics.label("outcome").collect(outcome == null ? "?" : outcome.name());
  }

  /** Ordinary messages, as a builder makes them: read exactly, never refused. */
  @Property(tries = 2000, shrinking = ShrinkingMode.OFF)
  void ordinaryMessagesAreReadExactly(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] bytes = new Gen(r, false, false).message(EVERYTHING, 0).toByteArray();
    checkAllViews(TEST, bytes, true, "seed " + seed);
  }

  @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
  void ordinaryJiraIssuesAreReadExactly(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] bytes = new Gen(r, false, false).message(JiraIssue.getDescriptor(), 0).toByteArray();
    checkAllViews(JIRA, bytes, true, "seed " + seed);
  }

  /** Messages past the recursion cut-off, with map entries and out-of-range timestamps: exact or refused. */
  @Property(tries = 1000, shrinking = ShrinkingMode.OFF)
  void wildMessagesAreReadExactlyOrRefused(@ForAll long seed) {
    Random r = new Random(seed);
    byte[] bytes = new Gen(r, true, false).message(EVERYTHING, 0).toByteArray();
    counted(() -> checkAllViews(TEST, bytes, false, "seed " + seed));
  }

  @Property(tries = 4000, shrinking = ShrinkingMode.OFF)
  void mutatedMessagesAreReadExactlyOrRefused(@ForAll long seed) {
    Random r = new Random(seed);
    Mutator mutator = new Mutator(r);
    byte[] bytes = mutator.gen.message(EVERYTHING, 0).toByteArray();
    byte[] mutated = mutator.mutate(bytes, EVERYTHING, 0);
    counted(() -> checkAllViews(TEST, mutated, false, "seed " + seed + ", mutations " + mutator.applied));
  }

  @Property(tries = 2000, shrinking = ShrinkingMode.OFF)
  void mutatedJiraIssuesAreReadExactlyOrRefused(@ForAll long seed) {
    Random r = new Random(seed);
    Mutator mutator = new Mutator(r);
    byte[] bytes = mutator.gen.message(JiraIssue.getDescriptor(), 0).toByteArray();
    byte[] mutated = mutator.mutate(bytes, JiraIssue.getDescriptor(), 0);
    counted(() -> checkAllViews(JIRA, mutated, false, "seed " + seed + ", mutations " + mutator.applied));
  }

  /** Every prefix of a small message: the parse fails for most, and then so must the reader. */
  @Property(tries = 300, shrinking = ShrinkingMode.OFF)
  void everyPrefixIsReadExactlyOrRefused(@ForAll long seed) {
    Random r = new Random(seed);
    Schema s = r.nextInt(4) == 0 ? JIRA : TEST;
    Gen gen = new Gen(r, false, true);
    byte[] bytes = gen.message(s.descriptor(), 0).toByteArray();
    if (r.nextBoolean()) {
      bytes = new Mutator(r).mutate(bytes, s.descriptor(), 0);
    }
    for (int n = 0; n <= bytes.length; n++) {
      byte[] prefix = Arrays.copyOf(bytes, n);
      try {
        check(s, prefix, n % VIEWS, false);
      } catch (Violation v) {
        report(s, prefix, n % VIEWS, false, "seed " + seed + ", prefix " + n + " of " + HexFormat.of().formatHex(bytes), v);
      }
    }
  }

  /** Bytes assembled from random fields (known numbers, random wire types, random payloads) and plain noise. */
  @Property(tries = 3000, shrinking = ShrinkingMode.OFF)
  void randomBytesAreReadExactlyOrRefused(@ForAll long seed) {
    Random r = new Random(seed);
    Schema s = r.nextInt(3) == 0 ? JIRA : TEST;
    byte[] bytes;
    if (r.nextInt(5) == 0) {
      bytes = new byte[r.nextInt(40)];
      r.nextBytes(bytes);
    } else {
      bytes = encode(randomWire(r, new Mutator(r), s.descriptor(), 0));
    }
    byte[] input = bytes;
    counted(() -> checkAllViews(s, input, false, "seed " + seed));
  }

  private static List<Rec> randomWire(Random r, Mutator m, Descriptor d, int depth) {
    List<Rec> records = new ArrayList<>();
    for (int i = r.nextInt(depth == 0 ? 7 : 4); i > 0; i--) {
      List<FieldDescriptor> fields = d.getFields();
      FieldDescriptor f = r.nextInt(5) == 0 ? null : fields.get(r.nextInt(fields.size()));
      int number = f == null ? 1 + r.nextInt(70) : f.getNumber();
      int wireType = f != null && r.nextInt(3) != 0 ? f.getLiteType().getWireType() : new int[] {0, 1, 2, 5, 3}[r.nextInt(5)];
      if (f != null && wireType == 2 && f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth < 10) {
        records.add(Rec.len(number, encode(randomWire(r, m, f.getMessageType(), depth + 1))));
      } else if (f != null && wireType == 2 && f.getType() == FieldDescriptor.Type.STRING) {
        records.add(Rec.len(number, r.nextInt(4) == 0 ? INVALID_UTF8[r.nextInt(INVALID_UTF8.length)]
            : m.gen.aString().getBytes(UTF_8)));
      } else if (f != null && wireType == 2 && f.isPackable()) {
        List<Rec> elements = new ArrayList<>();
        for (int k = r.nextInt(4); k > 0; k--) {
          elements.add(m.randomPayload(number, f.getLiteType().getWireType()));
        }
        records.add(pack(number, elements));
      } else if (f != null && wireType == 0 && f.getJavaType() == FieldDescriptor.JavaType.ENUM) {
        records.add(Rec.varint(number, r.nextBoolean() ? r.nextInt(5) - 1 : m.gen.anInt()));
      } else {
        records.add(m.randomPayload(number, wireType));
      }
    }
    return records;
  }

  // ------------------------------------------------------------------------------------------------
  // Examples
  // ------------------------------------------------------------------------------------------------

  private static FieldDescriptor f(String name) {
    FieldDescriptor f = EVERYTHING.findFieldByName(name);
    assertThat(f).as(name).isNotNull();
    return f;
  }

  private static int number(String name) {
    return f(name).getNumber();
  }

  private static Object col(Object[] row, String name) {
    int i = TEST.flattener().struct().indexOf(name);
    assertThat(i).as("column " + name).isGreaterThanOrEqualTo(0);
    return row[i];
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }

  private static Object member(Object[] struct, Descriptor type, String name) {
    return struct[type.findFieldByName(name).getIndex()];
  }

  private static DynamicMessage ts(long seconds, int nanos) {
    Descriptor d = Timestamp.getDescriptor();
    return DynamicMessage.newBuilder(d).setField(d.findFieldByName("seconds"), seconds)
        .setField(d.findFieldByName("nanos"), nanos).build();
  }

  private static DynamicMessage wrapper(String field, Object value) {
    Descriptor d = f(field).getMessageType();
    DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
    if (value != null) {
      b.setField(d.findFieldByName("value"), value);
    }
    return b.build();
  }

  private static EnumValueDescriptor colorValue(String name) {
    return f("color").getEnumType().findValueByName(name);
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  interface Writer {
    void write(CodedOutputStream out) throws IOException;
  }

  static byte[] wire(Writer writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writer.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  static byte[] packedVarints(long... values) throws IOException {
    return wire(out -> {
      for (long v : values) {
        out.writeUInt64NoTag(v);
      }
    });
  }

  /** Reads through every view, checks the invariant, and returns the (literal view's) answer. */
  /** The reader's answer after every view's check, its slices as arrays (what the examples assert on). */
  private static Object[] readChecked(Schema s, byte[] bytes, boolean mustRead) {
    checkAllViews(s, bytes, mustRead, "example " + HexFormat.of().formatHex(bytes));
    return (Object[]) arrays(s.reader().read(ByteString.copyFrom(bytes)));
  }

  private static Object arrays(Object value) {
    return mapLeaves(value, v -> v instanceof ByteSlice slice ? slice.toByteArray() : v);
  }

  @Test
  void stringsAndBytesAreSlicesOfTheInputArrayNotCopies() {
    DynamicMessage m = DynamicMessage.newBuilder(EVERYTHING)
        .setField(f("f_string"), "Grüße").addRepeatedField(f("r_string"), "a").addRepeatedField(f("r_string"), "")
        .setField(f("w_string"), wrapper("w_string", "wrapped"))
        .setField(f("f_bytes"), ByteString.copyFrom(new byte[] {(byte) 0xFF, 0})).build();
    byte[] bytes = m.toByteArray();
    // At an offset into a larger array, as the envelope's entity lies in the Kafka record's value.
    byte[] record = new byte[bytes.length + 10];
    System.arraycopy(bytes, 0, record, 5, bytes.length);
    Object[] row = TEST.reader().read(UnsafeByteOperations.unsafeWrap(record, 5, bytes.length));
    assertThat(row).isNotNull();
    ByteSlice text = (ByteSlice) col(row, "f_string");
    assertThat(text.array()).isSameAs(record);
    assertThat(Arrays.copyOfRange(record, text.offset(), text.offset() + text.length())).isEqualTo(b("Grüße"));
    assertThat(list(col(row, "r_string"))).containsExactly(new ByteSlice(b("a"), 0, 1), new ByteSlice(new byte[0], 0, 0));
    assertThat(((ByteSlice) col(row, "w_string")).toByteArray()).isEqualTo(b("wrapped"));
    assertThat(((ByteSlice) col(row, "f_bytes")).array()).isSameAs(record);
    assertThat(((ByteSlice) col(row, "f_bytes")).toByteArray()).isEqualTo(new byte[] {(byte) 0xFF, 0});
    // Bytes in pieces (a rope, from 128 bytes on) have no one array to slice: their strings are arrays of their own.
    byte[] big = DynamicMessage.newBuilder(EVERYTHING).setField(f("f_string"), "Grüße").setField(f("mid"), "x".repeat(200))
        .build().toByteArray();
    Object[] copied = TEST.reader().read(view(big, 2));
    assertThat(copied).isNotNull();
    assertThat(col(copied, "f_string")).isInstanceOf(byte[].class).isEqualTo(b("Grüße"));
  }

  @Test
  void aLengthPastTheInputIsNotSlicedButLeftToTheParse() {
    // f_string declared 100 bytes long with 3 present: the parse fails, so the reader must not answer.
    byte[] truncated = concat(new byte[] {(byte) ((f("f_string").getNumber() << 3) | 2), 100}, b("abc"));
    byte[] record = concat(truncated, new byte[200]);
    assertThat(TEST.reader().read(UnsafeByteOperations.unsafeWrap(record, 0, truncated.length))).isNull();
    readChecked(TEST, truncated, false);
  }

  private static Object[] expected(Schema s, byte[] bytes) throws InvalidProtocolBufferException {
    return (Object[]) utf8Reference(s.flatten(ByteString.copyFrom(bytes)));
  }

  @Test
  void unsetFieldsGiveTheirDefaultsOrNull() {
    Object[] row = readChecked(TEST, new byte[0], true);
    assertThat(row).hasSize(TEST.flattener().struct().fields().size());
    // Columns follow the declaration, not the field numbers.
    assertThat(TEST.flattener().struct().fields().get(0).name()).isEqualTo("far");
    assertThat(row[0]).isEqualTo(0L);
    assertThat(row[1]).isEqualTo(new byte[0]);
    for (String name : List.of("f_int32", "f_sint32", "f_sfixed32")) {
      assertThat(col(row, name)).as(name).isInstanceOf(Integer.class).isEqualTo(0);
    }
    for (String name : List.of("f_uint32", "f_fixed32", "f_int64", "f_sint64", "f_sfixed64", "f_uint64", "f_fixed64")) {
      assertThat(col(row, name)).as(name).isInstanceOf(Long.class).isEqualTo(0L);
    }
    assertThat(col(row, "f_bool")).isEqualTo(false);
    assertThat(col(row, "f_float")).isEqualTo(0.0f);
    assertThat(col(row, "f_double")).isEqualTo(0.0);
    assertThat(col(row, "f_string")).isEqualTo(new byte[0]);
    assertThat(col(row, "f_bytes")).isEqualTo(new byte[0]);
    assertThat(col(row, "mid")).isEqualTo(new byte[0]);
    assertThat(col(row, "color")).isEqualTo(b("COLOR_UNSPECIFIED"));
    for (String name : List.of("opt_int32", "opt_string", "opt_double", "opt_color", "opt_uint32", "opt_bytes",
        "opt_bool", "opt_sint64", "choice_string", "choice_double", "choice_ts", "ts", "w_string", "w_int32",
        "w_uint32", "w_int64", "w_uint64", "w_bool", "w_double", "w_float", "w_bytes", "inner", "tree")) {
      assertThat(col(row, name)).as(name).isNull();
    }
    for (String name : List.of("r_int32", "r_string", "r_bytes", "r_color", "r_ts", "r_w_int32", "r_inner", "counts",
        "inner_by_id")) {
      assertThat(col(row, name)).as(name).isInstanceOf(List.class);
      assertThat(list(col(row, name))).as(name).isEmpty();
    }
  }

  @Test
  void presentButEmptyWrappersAndMessagesGiveTheDefaults() throws Exception {
    DynamicMessage.Builder m = DynamicMessage.newBuilder(EVERYTHING);
    for (String name : List.of("w_string", "w_int32", "w_uint32", "w_int64", "w_uint64", "w_bool", "w_double",
        "w_float", "w_bytes")) {
      m.setField(f(name), wrapper(name, null));
    }
    m.addRepeatedField(f("r_w_int32"), wrapper("r_w_int32", null));
    m.addRepeatedField(f("r_w_int32"), wrapper("r_w_int32", -5));
    m.setField(f("inner"), DynamicMessage.getDefaultInstance(INNER));
    m.setField(f("ts"), ts(0, 0));
    m.setField(f("choice_ts"), ts(0, 0));
    byte[] bytes = m.build().toByteArray();
    Object[] row = readChecked(TEST, bytes, true);
    assertThat(col(row, "w_string")).isEqualTo(new byte[0]);
    assertThat(col(row, "w_int32")).isEqualTo(0);
    assertThat(col(row, "w_uint32")).isEqualTo(0L);
    assertThat(col(row, "w_int64")).isEqualTo(0L);
    assertThat(col(row, "w_uint64")).isEqualTo(0L);
    assertThat(col(row, "w_bool")).isEqualTo(false);
    assertThat(col(row, "w_double")).isEqualTo(0.0);
    assertThat(col(row, "w_float")).isEqualTo(0.0f);
    assertThat(col(row, "w_bytes")).isEqualTo(new byte[0]);
    assertThat(list(col(row, "r_w_int32"))).containsExactly(0, -5);
    assertThat(col(row, "ts")).isEqualTo(0L);
    assertThat(col(row, "choice_ts")).isEqualTo(0L);
    Object[] inner = (Object[]) col(row, "inner");
    assertThat(member(inner, INNER, "s")).isEqualTo(new byte[0]);
    assertThat(member(inner, INNER, "n")).isEqualTo(0L);
    assertThat(list(member(inner, INNER, "u"))).isEmpty();
    assertThat(member(inner, INNER, "c")).isEqualTo(b("COLOR_UNSPECIFIED"));
    assertThat(member(inner, INNER, "w")).isNull();
    assertThat(member(inner, INNER, "t")).isNull();
    assertThat(member(inner, INNER, "opt_f")).isNull();
  }

  @Test
  void explicitlySetOptionalsArePresentEvenAtTheirDefault() {
    DynamicMessage m = DynamicMessage.newBuilder(EVERYTHING)
        .setField(f("opt_int32"), 0).setField(f("opt_string"), "").setField(f("opt_double"), -0.0)
        .setField(f("opt_color"), colorValue("COLOR_UNSPECIFIED")).setField(f("opt_bool"), false)
        .setField(f("opt_bytes"), ByteString.EMPTY).setField(f("f_double"), -0.0).setField(f("f_float"), -0.0f)
        .setField(f("choice_string"), "").build();
    Object[] row = readChecked(TEST, m.toByteArray(), true);
    assertThat(col(row, "opt_int32")).isEqualTo(0);
    assertThat(col(row, "opt_string")).isEqualTo(new byte[0]);
    assertThat(col(row, "opt_double")).isEqualTo(-0.0);
    assertThat(col(row, "opt_color")).isEqualTo(b("COLOR_UNSPECIFIED"));
    assertThat(col(row, "opt_bool")).isEqualTo(false);
    assertThat(col(row, "opt_bytes")).isEqualTo(new byte[0]);
    assertThat(col(row, "f_double")).isEqualTo(-0.0).isNotEqualTo(0.0);
    assertThat(col(row, "f_float")).isEqualTo(-0.0f);
    assertThat(col(row, "choice_string")).isEqualTo(new byte[0]);
    assertThat(col(row, "opt_uint32")).isNull();
  }

  @Test
  void unsignedThirtyTwoBitValuesAreLongs() {
    DynamicMessage.Builder m = DynamicMessage.newBuilder(EVERYTHING)
        .setField(f("f_uint32"), 0xFFFF_FFFF).setField(f("f_fixed32"), 0xFFFF_FFFF)
        .setField(f("opt_uint32"), 0x8000_0000).setField(f("w_uint32"), wrapper("w_uint32", 0xFFFF_FFFF))
        .setField(f("f_uint64"), -1L).setField(f("f_fixed64"), Long.MIN_VALUE).setField(f("f_int32"), -1)
        .setField(f("f_sint32"), Integer.MIN_VALUE).setField(f("f_sfixed32"), -2);
    for (int v : new int[] {0xFFFF_FFFF, 0, 0x8000_0000}) {
      m.addRepeatedField(f("r_uint32"), v).addRepeatedField(f("r_fixed32"), v);
    }
    m.setField(f("inner"), DynamicMessage.newBuilder(INNER).addRepeatedField(INNER.findFieldByName("u"), -1).build());
    Object[] row = readChecked(TEST, m.build().toByteArray(), true);
    assertThat(col(row, "f_uint32")).isEqualTo(4_294_967_295L);
    assertThat(col(row, "f_fixed32")).isEqualTo(4_294_967_295L);
    assertThat(col(row, "opt_uint32")).isEqualTo(2_147_483_648L);
    assertThat(col(row, "w_uint32")).isEqualTo(4_294_967_295L);
    assertThat(col(row, "f_uint64")).isEqualTo(-1L);
    assertThat(col(row, "f_fixed64")).isEqualTo(Long.MIN_VALUE);
    assertThat(col(row, "f_int32")).isEqualTo(-1);
    assertThat(col(row, "f_sint32")).isEqualTo(Integer.MIN_VALUE);
    assertThat(col(row, "f_sfixed32")).isEqualTo(-2);
    assertThat(list(col(row, "r_uint32"))).containsExactly(4_294_967_295L, 0L, 2_147_483_648L);
    assertThat(list(col(row, "r_fixed32"))).containsExactly(4_294_967_295L, 0L, 2_147_483_648L);
    assertThat(list(member((Object[]) col(row, "inner"), INNER, "u"))).containsExactly(4_294_967_295L);
  }

  @Test
  void timestampsAreMicrosWithNanosTruncated() {
    DynamicMessage m = DynamicMessage.newBuilder(EVERYTHING)
        .setField(f("ts"), ts(1_700_000_000L, 123_456_789))
        .addRepeatedField(f("r_ts"), ts(-1, 500_000_000))
        .addRepeatedField(f("r_ts"), ts(0, 999))
        .addRepeatedField(f("r_ts"), ts(MIN_SECONDS, 0))
        .addRepeatedField(f("r_ts"), ts(MAX_SECONDS, 999_999_999))
        .setField(f("choice_ts"), ts(5, 1_000))
        .setField(f("inner"), DynamicMessage.newBuilder(INNER).setField(INNER.findFieldByName("t"), ts(-2, 1_999)).build())
        .build();
    Object[] row = readChecked(TEST, m.toByteArray(), true);
    assertThat(col(row, "ts")).isEqualTo(1_700_000_000_123_456L);
    assertThat(list(col(row, "r_ts"))).containsExactly(-500_000L, 0L, MIN_SECONDS * 1_000_000L,
        MAX_SECONDS * 1_000_000L + 999_999L);
    assertThat(col(row, "choice_ts")).isEqualTo(5_000_001L);
    assertThat(member((Object[]) col(row, "inner"), INNER, "t")).isEqualTo(-1_999_999L);
  }

  @Test
  void negativeNanosTruncateTowardZeroLikeTheFlattener() throws Exception {
    byte[] bytes = DynamicMessage.newBuilder(EVERYTHING).setField(f("ts"), ts(3, -1_500)).build().toByteArray();
    Object[] row = readChecked(TEST, bytes, false);
    assertThat(col(expected(TEST, bytes), "ts")).isEqualTo(2_999_999L);
    if (row != null) {
      assertThat(col(row, "ts")).isEqualTo(2_999_999L);
    }
  }

  @Test
  void timestampsBeyondMicrosAreRefused() {
    byte[] bytes = DynamicMessage.newBuilder(EVERYTHING).setField(f("ts"), ts(Long.MAX_VALUE, 0)).build().toByteArray();
    assertThatThrownBy(() -> expected(TEST, bytes)).isInstanceOf(ArithmeticException.class);
    assertThat(TEST.reader().read(ByteString.copyFrom(bytes))).isNull();
    readChecked(TEST, bytes, false);
  }

  @Test
  void enumAliasesAndNegativeNumbersReadAsTheParseNamesThem() {
    DynamicMessage m = DynamicMessage.newBuilder(EVERYTHING)
        .setField(f("color"), colorValue("AZURE"))
        .setField(f("opt_color"), colorValue("NEGATIVE"))
        .addRepeatedField(f("r_color"), colorValue("TINY"))
        .addRepeatedField(f("r_color"), colorValue("HUGE"))
        .addRepeatedField(f("r_color"), colorValue("COLOR_UNSPECIFIED"))
        .addRepeatedField(f("r_color"), colorValue("BLUE"))
        .build();
    Object[] row = readChecked(TEST, m.toByteArray(), true);
    assertThat(col(row, "color")).isEqualTo(b("BLUE"));
    assertThat(col(row, "opt_color")).isEqualTo(b("NEGATIVE"));
    assertThat(((List<?>) col(row, "r_color")).stream().map(v -> new String((byte[]) v, UTF_8)).toList())
        .containsExactly("TINY", "HUGE", "COLOR_UNSPECIFIED", "BLUE");
  }

  @Test
  void nonAsciiStringsAreTheirUtf8Bytes() {
    String text = "Grüße 🚀 日本 \u0000 \uDBFF\uDFFF";
    DynamicMessage m = DynamicMessage.newBuilder(EVERYTHING)
        .setField(f("f_string"), text).addRepeatedField(f("r_string"), text).addRepeatedField(f("r_string"), "")
        .setField(f("mid"), "m").setField(f("w_string"), wrapper("w_string", text))
        .setField(f("f_bytes"), ByteString.copyFrom(new byte[] {(byte) 0xFF, 0, (byte) 0xC0})).build();
    Object[] row = readChecked(TEST, m.toByteArray(), true);
    assertThat(col(row, "f_string")).isEqualTo(b(text));
    assertThat(list(col(row, "r_string"))).hasSize(2);
    assertThat(((List<?>) col(row, "r_string")).get(0)).isEqualTo(b(text));
    assertThat(col(row, "w_string")).isEqualTo(b(text));
    assertThat(col(row, "mid")).isEqualTo(b("m"));
    assertThat(col(row, "f_bytes")).isEqualTo(new byte[] {(byte) 0xFF, 0, (byte) 0xC0});
  }

  /** A chain of Nodes ten deep: the flattener cuts it off at depth 8 (a Node there has no child column). */
  @Test
  void recursionIsCutOffWhereTheFlattenerCutsIt() throws Exception {
    byte[] within = nodeChain(8, "n").toByteArray();
    Object[] row = readChecked(TEST, within, true);
    Object[] node = (Object[]) col(row, "tree");
    for (int depth = 1; depth < 8; depth++) {
      assertThat(node).as("node at depth " + depth).isNotNull();
      assertThat(member(node, NODE, "name")).isEqualTo(b("n" + depth));
      node = (Object[]) member(node, NODE, "child");
    }
    assertThat(node).as("node at depth 8").isNotNull();
    assertThat(node).hasSize(TEST.flattener().plan(NODE, 8).length);

    // Deeper than the cut-off: exact or refused (the dropped levels' bytes are not read).
    byte[] beyond = nodeChain(11, "n").toByteArray();
    Object[] deep = readChecked(TEST, beyond, false);
    System.out.println("[ProtobufColumnReaderTest] a Node chain 11 deep (cut off at 8): "
        + (deep == null ? "refused (null)" : "read"));
    assertThat(expected(TEST, beyond)).isNotNull();
  }

  private static DynamicMessage nodeChain(int depth, String prefix) {
    DynamicMessage node = null;
    for (int d = depth; d >= 1; d--) {
      DynamicMessage.Builder b = DynamicMessage.newBuilder(NODE)
          .setField(NODE.findFieldByName("name"), prefix + d)
          .setField(NODE.findFieldByName("level"), d)
          .setField(NODE.findFieldByName("at"), ts(d, d * 1000))
          .setField(NODE.findFieldByName("tag"), DynamicMessage.newBuilder(NODE.findFieldByName("tag").getMessageType())
              .setField(NODE.findFieldByName("tag").getMessageType().findFieldByName("value"), "t" + d).build())
          .setField(NODE.findFieldByName("color"), colorValue("GREEN"));
      if (node != null) {
        b.setField(NODE.findFieldByName("child"), node);
        b.addRepeatedField(NODE.findFieldByName("children"), node);
      }
      node = b.build();
    }
    return DynamicMessage.newBuilder(EVERYTHING).setField(f("tree"), node).build();
  }

  @Test
  void invalidUtf8PastTheCutOffStillFailsTheParseAndTheReader() throws Exception {
    // Node at depth 10 with an invalid name: the parse rejects the message though no column holds it.
    byte[] leaf = wire(out -> out.writeByteArray(1, new byte[] {(byte) 0xC3, 0x28}));
    byte[] node = leaf;
    for (int d = 9; d >= 1; d--) {
      byte[] child = node;
      node = wire(out -> out.writeByteArray(2, child));
    }
    byte[] top = node;
    byte[] bytes = wire(out -> out.writeByteArray(number("tree"), top));
    assertThatThrownBy(() -> expected(TEST, bytes)).isInstanceOf(InvalidProtocolBufferException.class);
    assertThat(readChecked(TEST, bytes, false)).isNull();
  }

  @Test
  void nestingPastTheParseRecursionLimitIsRefused() throws Exception {
    byte[] node = wire(out -> out.writeString(1, "leaf"));
    for (int d = 0; d < 120; d++) {
      byte[] child = node;
      node = wire(out -> out.writeByteArray(2, child));
    }
    byte[] top = node;
    byte[] bytes = wire(out -> out.writeByteArray(number("tree"), top));
    assertThatThrownBy(() -> expected(TEST, bytes)).isInstanceOf(InvalidProtocolBufferException.class);
    assertThat(readChecked(TEST, bytes, false)).isNull();
  }

  @Test
  void packedAndUnpackedEncodingsOfARepeatedFieldMix() throws Exception {
    int n = number("r_int32");
    byte[] bytes = wire(out -> {
      out.writeByteArray(n, packedVarints(1, 2));
      out.writeInt32(n, 3);
      out.writeString(number("f_string"), "between");
      out.writeByteArray(n, packedVarints(-4L));
      out.writeInt32(n, 5);
      out.writeByteArray(n, new byte[0]);
      out.writeFixed32(number("r_fixed32"), 7);
      out.writeByteArray(number("r_fixed32"), wire(o -> {
        o.writeFixed32NoTag(-1);
        o.writeFixed32NoTag(8);
      }));
      out.writeDouble(number("r_double"), -0.0);
      out.writeByteArray(number("r_double"), wire(o -> o.writeDoubleNoTag(Double.NaN)));
      out.writeBool(number("r_bool"), true);
      out.writeByteArray(number("r_bool"), packedVarints(0, 1, 2));
      out.writeEnum(number("r_color"), 1);
      out.writeByteArray(number("r_color"), packedVarints(2, -1L));
    });
    Object[] expected = expected(TEST, bytes);
    assertThat(list(col(expected, "r_int32"))).containsExactly(1, 2, 3, -4, 5);
    assertThat(list(col(expected, "r_fixed32"))).containsExactly(7L, 4_294_967_295L, 8L);
    assertThat(list(col(expected, "r_bool"))).containsExactly(true, false, true, true);
    Object[] row = readChecked(TEST, bytes, false);
    System.out.println("[ProtobufColumnReaderTest] packed and unpacked mixed: " + (row == null ? "refused (null)" : "read"));
  }

  @Test
  void aSingularScalarSentTwiceIsTheLastOne() throws Exception {
    byte[] bytes = wire(out -> {
      out.writeInt32(number("f_int32"), 3);
      out.writeString(number("f_string"), "first");
      out.writeEnum(number("color"), 1);
      out.writeInt32(number("opt_int32"), 9);
      out.writeDouble(number("f_double"), 1.5);
      out.writeInt32(number("f_int32"), 7);
      out.writeString(number("f_string"), "second");
      out.writeEnum(number("color"), 2);
      out.writeInt32(number("opt_int32"), 0);
      out.writeDouble(number("f_double"), -0.0);
      out.writeString(number("choice_string"), "x");
      out.writeString(number("choice_string"), "y");
    });
    Object[] expected = expected(TEST, bytes);
    assertThat(col(expected, "f_int32")).isEqualTo(7);
    assertThat(col(expected, "f_string")).isEqualTo(b("second"));
    assertThat(col(expected, "choice_string")).isEqualTo(b("y"));
    Object[] row = readChecked(TEST, bytes, false);
    System.out.println("[ProtobufColumnReaderTest] singular scalars twice: " + (row == null ? "refused (null)" : "read"));
  }

  @Test
  void aSingularMessageSentTwiceIsMergedOrRefused() throws Exception {
    Descriptor int32Value = f("w_int32").getMessageType();
    byte[] bytes = wire(out -> {
      out.writeByteArray(number("inner"), DynamicMessage.newBuilder(INNER)
          .setField(INNER.findFieldByName("s"), "a").setField(INNER.findFieldByName("n"), 1L)
          .addRepeatedField(INNER.findFieldByName("u"), 1).build().toByteArray());
      out.writeByteArray(number("ts"), ts(5, 0).toByteArray());
      out.writeByteArray(number("w_int32"), wrapper("w_int32", 3).toByteArray());
      out.writeByteArray(number("choice_ts"), ts(1, 0).toByteArray());
      out.writeByteArray(number("inner"), DynamicMessage.newBuilder(INNER)
          .setField(INNER.findFieldByName("n"), 2L).addRepeatedField(INNER.findFieldByName("u"), 7).build().toByteArray());
      out.writeByteArray(number("ts"), ts(0, 7_000).toByteArray());
      out.writeByteArray(number("w_int32"), DynamicMessage.getDefaultInstance(int32Value).toByteArray());
      out.writeByteArray(number("choice_ts"), ts(0, 2_000).toByteArray());
      out.writeByteArray(number("tree"), ((Message) nodeChain(2, "a").getField(f("tree"))).toByteArray());
      out.writeByteArray(number("tree"), ((Message) nodeChain(3, "b").getField(f("tree"))).toByteArray());
    });
    Object[] expected = expected(TEST, bytes);
    Object[] inner = (Object[]) col(expected, "inner");
    assertThat(member(inner, INNER, "s")).isEqualTo(b("a"));
    assertThat(member(inner, INNER, "n")).isEqualTo(2L);
    assertThat(list(member(inner, INNER, "u"))).containsExactly(1L, 7L);
    assertThat(col(expected, "ts")).isEqualTo(5_000_007L);
    assertThat(col(expected, "w_int32")).isEqualTo(3);
    assertThat(col(expected, "choice_ts")).isEqualTo(1_000_002L);
    Object[] row = readChecked(TEST, bytes, false);
    System.out.println("[ProtobufColumnReaderTest] singular messages twice: " + (row == null ? "refused (null)" : "read"));
  }

  @Test
  void twoMembersOfAOneofLeaveTheLast() throws Exception {
    byte[][] cases = {
        wire(out -> {
          out.writeString(number("choice_string"), "x");
          out.writeDouble(number("choice_double"), 2.5);
        }),
        wire(out -> {
          out.writeByteArray(number("choice_ts"), ts(1, 0).toByteArray());
          out.writeString(number("choice_string"), "y");
        }),
        wire(out -> {
          out.writeDouble(number("choice_double"), 1.0);
          out.writeByteArray(number("choice_ts"), ts(2, 0).toByteArray());
          out.writeInt32(number("opt_int32"), 4);
        }),
    };
    Object[] first = expected(TEST, cases[0]);
    assertThat(col(first, "choice_string")).isNull();
    assertThat(col(first, "choice_double")).isEqualTo(2.5);
    Object[] second = expected(TEST, cases[1]);
    assertThat(col(second, "choice_ts")).isNull();
    assertThat(col(second, "choice_string")).isEqualTo(b("y"));
    for (byte[] bytes : cases) {
      readChecked(TEST, bytes, false);
    }
  }

  @Test
  void undefinedEnumNumbersAreExactOrRefused() throws Exception {
    byte[][] cases = {
        wire(out -> out.writeEnum(number("color"), 7)),
        wire(out -> out.writeEnum(number("color"), -2)),
        wire(out -> out.writeUInt64(number("color"), 0xFFFF_FFFEL)),
        wire(out -> out.writeEnum(number("opt_color"), 99)),
        wire(out -> out.writeByteArray(number("r_color"), packedVarints(1, 42, 2))),
        wire(out -> out.writeByteArray(number("inner"), wire(o -> o.writeEnum(4, 1000)))),
    };
    for (byte[] bytes : cases) {
      expected(TEST, bytes); // the parse keeps them (proto3 enums are open)
      readChecked(TEST, bytes, false);
    }
    readChecked(JIRA, wire(out -> out.writeEnum(5, 42)), false);
  }

  @Test
  void invalidUtf8FailsTheParseAndTheReader() throws Exception {
    byte[] bad = {(byte) 0xC3, 0x28};
    byte[][] cases = {
        wire(out -> out.writeByteArray(number("f_string"), bad)),
        wire(out -> out.writeByteArray(number("r_string"), bad)),
        wire(out -> out.writeByteArray(number("mid"), bad)),
        wire(out -> out.writeByteArray(number("choice_string"), bad)),
        wire(out -> out.writeByteArray(number("opt_string"), bad)),
        wire(out -> out.writeByteArray(number("inner"), wire(o -> o.writeByteArray(1, bad)))),
        wire(out -> out.writeByteArray(number("w_string"), wire(o -> o.writeByteArray(1, bad)))),
        wire(out -> out.writeByteArray(number("counts"), wire(o -> o.writeByteArray(1, bad)))),
    };
    for (byte[] bytes : cases) {
      assertThatThrownBy(() -> expected(TEST, bytes)).as(HexFormat.of().formatHex(bytes))
          .isInstanceOf(InvalidProtocolBufferException.class);
      assertThat(readChecked(TEST, bytes, false)).isNull();
    }
    byte[] jira = wire(out -> out.writeByteArray(3, bad));
    assertThatThrownBy(() -> expected(JIRA, jira)).isInstanceOf(InvalidProtocolBufferException.class);
    assertThat(readChecked(JIRA, jira, false)).isNull();
  }

  @Test
  void unknownFieldsOfEveryWireTypeAreSkippedOrRefused() throws Exception {
    byte[] bytes = wire(out -> {
      out.writeInt32(number("f_int32"), 5);
      out.writeUInt64(1000, -1L);
      out.writeFixed64(99, 1L);
      out.writeByteArray(536_870_910, new byte[] {(byte) 0xC3, 0x28}); // not UTF-8-checked: unknown
      out.writeFixed32(5000, 3);
      out.writeString(number("f_string"), "s");
      out.writeByteArray(number("inner"), wire(o -> {
        o.writeString(1, "in");
        o.writeUInt64(77, 1);
        o.writeFixed32(78, 1);
      }));
      out.writeByteArray(number("ts"), wire(o -> {
        o.writeInt64(1, 9);
        o.writeString(3, "x");
      }));
      out.writeByteArray(number("w_int32"), wire(o -> {
        o.writeInt32(1, 9);
        o.writeFixed64(2, 1);
      }));
    });
    Object[] row = readChecked(TEST, bytes, false);
    System.out.println("[ProtobufColumnReaderTest] unknown fields (wire types 0, 1, 2, 5): "
        + (row == null ? "refused (null)" : "read"));
    byte[] group = wire(out -> {
      out.writeInt32(number("f_int32"), 5);
      writeTag(out, 1000, 3);
      out.writeInt32(1, 1);
      writeTag(out, 1000, 4);
    });
    readChecked(TEST, group, false);
  }

  @Test
  void knownFieldsWithAnotherWireTypeAreKeptAsUnknownOrRefused() throws Exception {
    byte[][] cases = {
        wire(out -> out.writeFixed32(number("f_int32"), 1)),
        wire(out -> out.writeUInt64(number("f_string"), 1)),
        wire(out -> out.writeUInt64(number("inner"), 1)),
        wire(out -> out.writeFixed64(number("ts"), 1)),
        wire(out -> out.writeFixed64(number("r_int32"), 1)),
        wire(out -> out.writeUInt64(number("r_string"), 1)),
        wire(out -> out.writeByteArray(number("f_int32"), packedVarints(1))),
        wire(out -> out.writeByteArray(number("f_double"), new byte[8])),
        wire(out -> {
          out.writeInt32(number("f_int32"), 4);
          writeTag(out, number("f_int32"), 3);
          writeTag(out, number("f_int32"), 4);
        }),
        wire(out -> out.writeByteArray(number("ts"), wire(o -> o.writeFixed64(1, 5)))),
        wire(out -> out.writeByteArray(number("w_double"), wire(o -> o.writeUInt64(1, 5)))),
    };
    for (byte[] bytes : cases) {
      readChecked(TEST, bytes, false);
    }
  }

  @Test
  void everyPrefixOfASmallMessage() throws Exception {
    byte[] bytes = DynamicMessage.newBuilder(EVERYTHING)
        .setField(f("f_int32"), -1).setField(f("f_string"), "é🚀").setField(f("f_double"), 1.0)
        .addRepeatedField(f("r_sint64"), -3L).addRepeatedField(f("r_sint64"), 300L)
        .setField(f("ts"), ts(1, 2_000)).setField(f("w_uint64"), wrapper("w_uint64", 5L))
        .setField(f("inner"), DynamicMessage.newBuilder(INNER).setField(INNER.findFieldByName("s"), "x").build())
        .setField(f("far"), 1L)
        .build().toByteArray();
    for (int n = 0; n <= bytes.length; n++) {
      readChecked(TEST, Arrays.copyOf(bytes, n), n == bytes.length);
    }
  }

  /**
   * A nested message (Timestamp, wrapper, struct) declaring more bytes than remain, at the very end of a rope:
   * a stream-backed CodedInputStream cannot check the length when the limit is pushed, so the parse checks
   * after the nested message that its limit was reached. The reader must refuse these bytes like the parse.
   */
  @Test
  void aTruncatedNestedMessageAtTheEndOfARopeIsRefused() throws Exception {
    for (String field : List.of("ts", "w_int32", "inner", "r_ts", "tree")) {
      byte[] bytes = concat(wire(out -> out.writeString(number("f_string"), "a".repeat(125))),
          wire(out -> {
            writeTag(out, number(field), 2);
            out.writeUInt32NoTag(8);
          }));
      ByteString rope = view(bytes, 2);
      assertThat(rope.getClass().getSimpleName()).isEqualTo("RopeByteString");
      assertThatThrownBy(() -> TEST.parse().apply(rope)).isInstanceOf(InvalidProtocolBufferException.class);
      assertThat(TEST.reader().read(rope)).as(field + ": " + HexFormat.of().formatHex(bytes)).isNull();
    }
  }

  @Test
  void aJiraIssueBuiltByItsGeneratedBuilderIsReadExactly() {
    Timestamp created = Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(987_654_321).build();
    JiraIssue issue = JiraIssue.newBuilder()
        .setIssueId("ISSUE-1").setProjectId("P").setSummary("Überprüfung 🚀 — 日本語").setDescription("")
        .setStatus(IssueStatus.ISSUE_STATUS_IN_REVIEW).setPriority(IssuePriority.ISSUE_PRIORITY_HIGHEST)
        .setAssigneeAccountId("a").setCreatedAt(created).setUpdatedAt(Timestamp.getDefaultInstance())
        .setStoryPoints(-3).addLabels("x").addLabels("").addLabels("ü").setVoteCount(Integer.MAX_VALUE)
        .setIsResolved(true)
        .addCustomFields(CustomFieldValue.newBuilder().setFieldId("cf1").setName("n").setTextValue("t"))
        .addCustomFields(CustomFieldValue.newBuilder().setFieldId("cf2").setNumberValue(Double.NaN))
        .addCustomFields(CustomFieldValue.newBuilder().setFieldId("cf3").setDateValue(created))
        .addCustomFields(CustomFieldValue.getDefaultInstance())
        .build();
    Object[] row = readChecked(JIRA, issue.toByteArray(), true);
    ColumnType.Struct struct = JIRA.flattener().struct();
    assertThat(row[struct.indexOf("summary")]).isEqualTo(b("Überprüfung 🚀 — 日本語"));
    assertThat(row[struct.indexOf("status")]).isEqualTo(b("ISSUE_STATUS_IN_REVIEW"));
    assertThat(row[struct.indexOf("reporter_account_id")]).isEqualTo(new byte[0]);
    assertThat(row[struct.indexOf("created_at")]).isEqualTo(1_700_000_000_987_654L);
    assertThat(row[struct.indexOf("updated_at")]).isEqualTo(0L);
    assertThat(row[struct.indexOf("resolution_at")]).isNull();
    assertThat(row[struct.indexOf("story_points")]).isEqualTo(-3);
    assertThat(list(row[struct.indexOf("custom_fields")])).hasSize(4);
    readChecked(JIRA, JiraIssue.getDefaultInstance().toByteArray(), true);
  }

  @Test
  void utf8ConvertsEveryStringAndLeavesItsInputAlone() {
    Object[] nested = {"x", List.of("y", new Object[] {"z", null})};
    List<Object> list = new ArrayList<>(List.of("é", 1L));
    Object[] flat = {"🚀", 1, null, nested, list, List.of(), new byte[] {1}, 2.5, Boolean.TRUE};
    Object[] converted = ProtobufColumnReader.utf8(flat);
    assertThat(diff(null, "", utf8Reference(flat), converted)).isNull();
    assertThat(converted[0]).isEqualTo(b("🚀"));
    assertThat(((Object[]) converted[3])[0]).isEqualTo(b("x"));
    assertThat(flat[0]).isEqualTo("🚀");
    assertThat(nested[0]).isEqualTo("x");
    assertThat(list.get(0)).isEqualTo("é");
  }

  @Test
  void theDeepEqualityOfThisTestTellsTheCasesApart() {
    assertThat(diff(null, "", new Object[] {0}, new Object[] {0L})).isNotNull();
    assertThat(diff(null, "", new Object[] {-0.0}, new Object[] {0.0})).isNotNull();
    assertThat(diff(null, "", new Object[] {Double.NaN}, new Object[] {Double.longBitsToDouble(0x7FF8_0000_0000_0001L)}))
        .isNull();
    assertThat(diff(null, "", new Object[] {new byte[] {1}}, new Object[] {new byte[] {1}})).isNull();
    assertThat(diff(null, "", new Object[] {new byte[] {1}}, new Object[] {"\u0001"})).isNotNull();
    assertThat(diff(null, "", new Object[] {List.of(1)}, new Object[] {new ArrayList<>(List.of(1))})).isNull();
    assertThat(diff(null, "", new Object[] {List.of(1)}, new Object[] {List.of(1, 2)})).isNotNull();
    assertThat(diff(null, "", new Object[] {new Object[] {null}}, new Object[] {new Object[] {}})).isNotNull();
    assertThat(diff(null, "", new Object[] {null}, new Object[] {List.of()})).isNotNull();
  }
}
