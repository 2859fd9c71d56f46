package io.meshlake.contracts.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DescriptorProtos.SourceCodeInfo.Location;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.google.protobuf.Timestamp;
import com.google.protobuf.WireFormat;
import io.meshlake.contracts.jira.v1.CustomFieldValue;
import io.meshlake.contracts.jira.v1.IssuePriority;
import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.jira.v1.JiraIssue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The check must accept exactly the bytes JiraIssue's generated parser accepts. */
class ProtobufPayloadCheckTest {

  @Test
  void agreesWithTheGeneratedParserOnValidAndMangledIssues() {
    Random random = new Random(42);
    int rejected = 0;
    int cases = 0;
    for (int i = 0; i < 2_000; i++) {
      byte[] valid = issue(random).toByteArray();
      assertAgrees(valid);
      for (int m = 0; m < 20; m++) {
        byte[] mangled = mangle(valid, random);
        cases++;
        if (!assertAgrees(mangled)) {
          rejected++;
        }
      }
    }
    // The mangling must reach the failure paths often, or the agreement says little.
    assertThat(rejected).isBetween(cases / 10, cases - cases / 10);
  }

  @Test
  void refusesInvalidUtf8InAStringFieldAndAcceptsItInAnUnknownField() throws IOException {
    byte[] badUtf8 = {(byte) 0xC3, (byte) 0x28};
    byte[] inSummary = encode(out -> out.writeByteArray(3, badUtf8));
    assertThat(assertAgrees(inSummary)).isFalse();
    assertThatThrownBy(() -> check(inSummary)).hasMessageContaining("summary").hasMessageContaining("UTF-8");
    byte[] inUnknown = encode(out -> out.writeByteArray(99, badUtf8));
    assertThat(assertAgrees(inUnknown)).isTrue();
    byte[] inNestedName = encode(out -> out.writeByteArray(16, encode(cf -> cf.writeByteArray(2, badUtf8))));
    assertThat(assertAgrees(inNestedName)).isFalse();
  }

  @Test
  void aKnownFieldWithAnotherWireTypeIsAnUnknownFieldForBoth() throws IOException {
    // summary (a string) as a varint, story_points (int32) as fixed64: the parser keeps both as unknown fields.
    assertThat(assertAgrees(encode(out -> {
      out.writeUInt64(3, 7);
      out.writeFixed64(12, 9);
    }))).isTrue();
  }

  @Test
  void groupsMustEndWithTheirOwnTagAndNestAtMostAHundredDeep() throws IOException {
    assertThat(assertAgrees(encode(out -> {
      out.writeTag(50, WireFormat.WIRETYPE_START_GROUP);
      out.writeUInt64(1, 5);
      out.writeTag(50, WireFormat.WIRETYPE_END_GROUP);
    }))).isTrue();
    assertThat(assertAgrees(encode(out -> {
      out.writeTag(50, WireFormat.WIRETYPE_START_GROUP);
      out.writeTag(51, WireFormat.WIRETYPE_END_GROUP);
    }))).isFalse();
    assertThat(assertAgrees(encode(out -> out.writeTag(50, WireFormat.WIRETYPE_START_GROUP)))).isFalse();
    assertThat(assertAgrees(encode(out -> out.writeTag(50, WireFormat.WIRETYPE_END_GROUP)))).isFalse();
    assertThat(assertAgrees(nestedGroups(99))).isTrue();
    assertThat(assertAgrees(nestedGroups(101))).isFalse();
  }

  @Test
  void invalidTagsAndWireTypesAreRefused() throws IOException {
    assertThat(assertAgrees(new byte[] {0x00})).isFalse();
    assertThat(assertAgrees(encode(out -> out.writeTag(5, 6)))).isFalse();
    assertThat(assertAgrees(encode(out -> out.writeTag(99, 7)))).isFalse();
    // A varint of eleven bytes.
    byte[] longVarint = new byte[12];
    longVarint[0] = 12 << 3;
    Arrays.fill(longVarint, 1, 11, (byte) 0xFF);
    longVarint[11] = 0x01;
    assertThat(assertAgrees(longVarint)).isFalse();
  }

  @Test
  void packedAndUnpackedRepeatedScalarsAreBothAccepted() throws IOException {
    // SourceCodeInfo.Location declares `repeated int32 path = 1 [packed = true]` and `repeated int32 span = 2 [packed = true]`.
    Parser<Location> location = Location.parser();
    byte[] packed = Location.newBuilder().addPath(4).addPath(300).addSpan(-1).build().toByteArray();
    assertThat(assertAgrees(location, Location.getDescriptor(), packed)).isTrue();
    byte[] unpacked = encode(out -> {
      out.writeInt32(1, 4);
      out.writeInt32(1, 300);
    });
    assertThat(assertAgrees(location, Location.getDescriptor(), unpacked)).isTrue();
    byte[] cutInside = encode(out -> {
      out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(2);
      out.writeUInt32NoTag(300);
      out.writeUInt32NoTag(1);
    });
    assertThat(assertAgrees(location, Location.getDescriptor(), cutInside)).isFalse();
    // A singular int32 (story_points) in packed form is an unknown field for both.
    assertThat(assertAgrees(encode(out -> {
      out.writeTag(12, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(2);
      out.writeUInt32NoTag(5);
      out.writeUInt32NoTag(6);
    }))).isTrue();
  }

  @Test
  void anEmptyPayloadIsADefaultIssue() {
    assertThatCode(() -> check(new byte[0])).doesNotThrowAnyException();
  }

  /** Asserts that the check and JiraIssue's parser agree on the bytes; returns whether they accepted them. */
  private static boolean assertAgrees(byte[] bytes) {
    return assertAgrees(JiraIssue.parser(), JiraIssue.getDescriptor(), bytes);
  }

  private static boolean assertAgrees(Parser<?> parser, Descriptor type, byte[] bytes) {
    String parseError = null;
    try {
      parser.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      parseError = e.getMessage();
    }
    String checkError = null;
    try {
      check(type, bytes);
    } catch (InvalidProtocolBufferException e) {
      checkError = e.getMessage();
    }
    boolean parsed = parseError == null;
    assertThat(checkError == null).as("the check (%s) against the parser (%s) on %s", checkError, parseError,
        HexFormat.of().formatHex(bytes)).isEqualTo(parsed);
    return parsed;
  }

  private static void check(byte[] bytes) throws InvalidProtocolBufferException {
    check(JiraIssue.getDescriptor(), bytes);
  }

  private static void check(Descriptor type, byte[] bytes) throws InvalidProtocolBufferException {
    // A view into a larger array, as the topology checks the entity inside the record's value.
    byte[] framed = new byte[bytes.length + 7];
    System.arraycopy(bytes, 0, framed, 3, bytes.length);
    ProtobufPayloadCheck.check(type, ByteString.copyFrom(framed).substring(3, 3 + bytes.length));
  }

  private static JiraIssue issue(Random random) {
    JiraIssue.Builder issue = JiraIssue.newBuilder()
        .setIssueId("ISSUE-" + random.nextInt(1_000_000))
        .setProjectId("P" + random.nextInt(50))
        .setSummary(text(random, 10 + random.nextInt(60)))
        .setDescription(text(random, random.nextInt(200)))
        .setStatus(IssueStatus.forNumber(random.nextInt(7)))
        .setPriority(IssuePriority.forNumber(random.nextInt(6)))
        .setAssigneeAccountId("acct-" + random.nextInt(1000))
        .setCreatedAt(Timestamp.newBuilder().setSeconds(1_700_000_000L + random.nextInt(1_000_000)).setNanos(random.nextInt(1_000_000_000)))
        .setStoryPoints(random.nextInt(13) - 2)
        .setVoteCount(random.nextInt(100))
        .setIsResolved(random.nextBoolean());
    for (int l = random.nextInt(4); l > 0; l--) {
      issue.addLabels(text(random, 3 + random.nextInt(8)));
    }
    for (int c = random.nextInt(3); c > 0; c--) {
      CustomFieldValue.Builder field = CustomFieldValue.newBuilder().setFieldId("cf-" + c).setName(text(random, 6));
      switch (random.nextInt(3)) {
        case 0 -> field.setTextValue(text(random, 12));
        case 1 -> field.setNumberValue(random.nextDouble());
        default -> field.setDateValue(Timestamp.newBuilder().setSeconds(random.nextInt()));
      }
      issue.addCustomFields(field);
    }
    return issue.build();
  }

  /** Mostly ASCII, sometimes two- and three-byte characters, so byte flips can break UTF-8. */
  private static String text(Random random, int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int kind = random.nextInt(20);
      text.append(kind == 0 ? (char) (0xE0 + random.nextInt(30)) : kind == 1 ? (char) (0x4E00 + random.nextInt(500))
          : (char) ('a' + random.nextInt(26)));
    }
    return text.toString();
  }

  private static byte[] mangle(byte[] valid, Random random) {
    byte[] bytes = valid.clone();
    switch (random.nextInt(5)) {
      case 0 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
      case 1 -> bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      case 2 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
      case 3 -> {
        int at = random.nextInt(bytes.length);
        byte[] longer = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, longer, 0, at);
        longer[at] = (byte) random.nextInt(256);
        System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
        bytes = longer;
      }
      default -> {
        for (int k = 0; k < 3; k++) {
          bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
      }
    }
    return bytes;
  }

  private static byte[] nestedGroups(int depth) throws IOException {
    return encode(out -> {
      for (int d = 0; d < depth; d++) {
        out.writeTag(60, WireFormat.WIRETYPE_START_GROUP);
      }
      for (int d = 0; d < depth; d++) {
        out.writeTag(60, WireFormat.WIRETYPE_END_GROUP);
      }
    });
  }

  private interface Writes {
    void to(CodedOutputStream out) throws IOException;
  }

  private static byte[] encode(Writes writes) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    writes.to(out);
    out.flush();
    return bytes.toByteArray();
  }
}
