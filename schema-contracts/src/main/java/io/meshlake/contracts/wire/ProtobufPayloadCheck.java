package io.meshlake.contracts.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import java.io.IOException;

/**
 * Tells whether bytes would parse as a message of a type, without building the message: it walks the
 * wire format with the type's descriptor and accepts exactly what protobuf-java's generated parser
 * accepts — well-formed tags, varints and lengths, matching group ends, nesting at most 100 deep, valid
 * UTF-8 in the string fields the parser checks (every proto3 string), packed and unpacked repeated
 * scalars, and any unknown field (a known field with another wire type is one, as for the parser).
 * Required fields are not checked: it is meant for proto3 types, which have none, like every contract.
 *
 * <p>It exists for a caller that forwards the bytes unchanged and only needs to know they are readable:
 * the streams topology checks every entity payload, and building the message was a tenth of its time.
 */
public final class ProtobufPayloadCheck {

  /** The generated parser's default nesting limit ({@code CodedInputStream}'s recursion limit). */
  static final int MAX_DEPTH = 100;

  private ProtobufPayloadCheck() {}

  /**
   * @throws InvalidProtocolBufferException when the generated parser of {@code type} would refuse the
   *     bytes, with the reason
   */
  public static void check(Descriptor type, ByteString bytes) throws InvalidProtocolBufferException {
    CodedInputStream in = bytes.newCodedInput();
    try {
      readFields(in, bytes, type, 0, 0);
    } catch (InvalidProtocolBufferException e) {
      throw e;
    } catch (IOException e) {
      // A ByteString's input is in memory: only malformed bytes can fail it.
      throw new InvalidProtocolBufferException(e);
    }
  }

  /** Reads fields up to the end of the input or the current limit, or up to the end tag of group {@code groupNumber}. */
  private static void readFields(CodedInputStream in, ByteString bytes, Descriptor type, int depth, int groupNumber)
      throws IOException {
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        if (groupNumber != 0) {
          throw new InvalidProtocolBufferException("group " + groupNumber + " has no end-group tag");
        }
        return;
      }
      int number = WireFormat.getTagFieldNumber(tag);
      int wireType = WireFormat.getTagWireType(tag);
      if (wireType == WireFormat.WIRETYPE_END_GROUP) {
        if (number == groupNumber) {
          return;
        }
        throw new InvalidProtocolBufferException("end-group tag of field " + number + " where "
            + (groupNumber == 0 ? "no group is open" : "group " + groupNumber + " is open"));
      }
      FieldDescriptor field = type == null ? null : type.findFieldByNumber(number);
      if (field == null || !readKnown(in, bytes, field, wireType, depth)) {
        readUnknown(in, bytes, number, wireType, depth);
      }
    }
  }

  /** Reads a known field; false when its wire type is not the field's, so that it is an unknown field. */
  private static boolean readKnown(CodedInputStream in, ByteString bytes, FieldDescriptor field, int wireType, int depth)
      throws IOException {
    FieldDescriptor.Type type = field.getType();
    int expected = wireTypeOf(type);
    if (wireType == expected) {
      switch (type) {
        case STRING -> {
          int length = readLength(in);
          int start = in.getTotalBytesRead();
          in.skipRawBytes(length);
          if (field.needsUtf8Check() && !bytes.substring(start, start + length).isValidUtf8()) {
            throw new InvalidProtocolBufferException("field " + field.getName() + " is not valid UTF-8");
          }
        }
        case MESSAGE -> readNested(in, bytes, field.getMessageType(), depth);
        case GROUP -> {
          checkDepth(depth);
          readFields(in, bytes, field.getMessageType(), depth + 1, field.getNumber());
        }
        default -> readScalar(in, type);
      }
      return true;
    }
    if (wireType == WireFormat.WIRETYPE_LENGTH_DELIMITED && field.isRepeated() && field.isPackable()) {
      // Packed and unpacked encodings of a repeated scalar are both accepted, whichever the field declares.
      int limit = in.pushLimit(readLength(in));
      while (in.getBytesUntilLimit() > 0) {
        readScalar(in, type);
      }
      in.popLimit(limit);
      return true;
    }
    return false;
  }

  private static void readUnknown(CodedInputStream in, ByteString bytes, int number, int wireType, int depth)
      throws IOException {
    switch (wireType) {
      case WireFormat.WIRETYPE_VARINT -> in.readRawVarint64();
      case WireFormat.WIRETYPE_FIXED32 -> in.readRawLittleEndian32();
      case WireFormat.WIRETYPE_FIXED64 -> in.readRawLittleEndian64();
      case WireFormat.WIRETYPE_LENGTH_DELIMITED -> in.skipRawBytes(readLength(in));
      case WireFormat.WIRETYPE_START_GROUP -> {
        checkDepth(depth);
        readFields(in, bytes, null, depth + 1, number);
      }
      default -> throw new InvalidProtocolBufferException("field " + number + " has the invalid wire type " + wireType);
    }
  }

  private static void readNested(CodedInputStream in, ByteString bytes, Descriptor type, int depth)
      throws IOException {
    int length = readLength(in);
    checkDepth(depth);
    int limit = in.pushLimit(length);
    readFields(in, bytes, type, depth + 1, 0);
    in.popLimit(limit);
  }

  /** Reads a scalar as the generated parser does: 32-bit varints and 64-bit ones differ in which overlong forms they accept. */
  private static void readScalar(CodedInputStream in, FieldDescriptor.Type type) throws IOException {
    switch (type) {
      case INT32, UINT32, SINT32, ENUM -> in.readRawVarint32();
      case INT64, UINT64, SINT64, BOOL -> in.readRawVarint64();
      case FLOAT, FIXED32, SFIXED32 -> in.readRawLittleEndian32();
      case DOUBLE, FIXED64, SFIXED64 -> in.readRawLittleEndian64();
      default -> throw new IllegalArgumentException("not a scalar type: " + type);
    }
  }

  private static int readLength(CodedInputStream in) throws IOException {
    int length = in.readRawVarint32();
    if (length < 0) {
      throw new InvalidProtocolBufferException("a length-delimited field has the negative length " + length);
    }
    return length;
  }

  private static void checkDepth(int depth) throws IOException {
    if (depth >= MAX_DEPTH) {
      throw new InvalidProtocolBufferException("messages are nested more than " + MAX_DEPTH + " deep");
    }
  }

  private static int wireTypeOf(FieldDescriptor.Type type) {
    return switch (type) {
      case DOUBLE, FIXED64, SFIXED64 -> WireFormat.WIRETYPE_FIXED64;
      case FLOAT, FIXED32, SFIXED32 -> WireFormat.WIRETYPE_FIXED32;
      case STRING, BYTES, MESSAGE -> WireFormat.WIRETYPE_LENGTH_DELIMITED;
      case GROUP -> WireFormat.WIRETYPE_START_GROUP;
      default -> WireFormat.WIRETYPE_VARINT;
    };
  }
}
