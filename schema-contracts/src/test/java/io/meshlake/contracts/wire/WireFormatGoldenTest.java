package io.meshlake.contracts.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Any;
import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.facsimile.v1.OffloadPointer;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Golden byte vectors worked out by hand from Confluent's documented protobuf wire format: magic byte
 * 0, 4-byte big-endian schema id, the message-index array as zigzag varints (count, then indexes;
 * the path [0] as the single byte 0), then the protobuf bytes.
 */
class WireFormatGoldenTest {

  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      // path      , encoded indexes
      "0           , 00",
      "1           , 0202",
      "2           , 0204",
      "1.0         , 040200",
      "0.0         , 040000",
      "2.1.3       , 06040206",
      "63          , 027e",
      "64          , 028001",
      "300         , 02d804",
      "0.5.0.1     , 08000a0002",
  })
  void messageIndexesEncodeAndDecodeByteForByte(String path, String hex) {
    MessageIndexes indexes = new MessageIndexes(
        java.util.Arrays.stream(path.trim().split("\\.")).map(Integer::valueOf).toList());
    assertThat(HEX.formatHex(indexes.encode())).isEqualTo(hex.trim());
    ByteBuffer buffer = ByteBuffer.wrap(HEX.parseHex(hex.trim()));
    assertThat(MessageIndexes.decode(buffer)).isEqualTo(indexes);
    assertThat(buffer.hasRemaining()).as("decoder consumes exactly the index bytes").isFalse();
  }

  @Test
  void theLongFormOfTheFirstMessageIsAlsoAccepted() {
    // Some clients write [0] in full (count 1 = zigzag 02, index 0 = 00) instead of the single-zero shortcut.
    assertThat(MessageIndexes.decode(ByteBuffer.wrap(HEX.parseHex("0200")))).isEqualTo(MessageIndexes.FIRST);
  }

  @Test
  void anAriFramedAsTheFirstMessageOfSchema1() {
    Ari ari = Ari.newBuilder().setValue("a").build();
    // 0a = field 1, wire type 2; 01 = length; 61 = 'a'
    assertThat(HEX.formatHex(ari.toByteArray())).isEqualTo("0a0161");
    byte[] framed = ConfluentFrame.encode(1, MessageIndexes.of(Ari.getDescriptor()), ari.toByteArray());
    assertThat(HEX.formatHex(framed)).isEqualTo("00" + "00000001" + "00" + "0a0161");
  }

  @Test
  void aFacsimileRecordIsTheThirdMessageOfItsFile() {
    FacsimileRecord record = FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue("ari:x"))
        .setEntityType(1)
        .setVersion(7)
        .setIsTombstone(true)
        .build();
    String payload = "0a07" + "0a05" + HEX.formatHex("ari:x".getBytes()) // resource_ari { value }
        + "1001" // entity_type = 1
        + "2007" // version = 7
        + "3001"; // is_tombstone = true
    assertThat(HEX.formatHex(record.toByteArray())).isEqualTo(payload);
    assertThat(MessageIndexes.of(FacsimileRecord.getDescriptor())).isEqualTo(MessageIndexes.of(2));
    byte[] framed = ConfluentFrame.encode(0x2a, MessageIndexes.of(FacsimileRecord.getDescriptor()), record.toByteArray());
    assertThat(HEX.formatHex(framed)).isEqualTo("00" + "0000002a" + "0204" + payload);

    ConfluentFrame decoded = ConfluentFrame.decode(framed);
    assertThat(decoded.schemaId()).isEqualTo(42);
    assertThat(decoded.messageIndexes().path()).isEqualTo(List.of(2));
    assertThat(decoded.payloadBytes()).isEqualTo(record.toByteArray());
  }

  @Test
  void aNestedMessagePathAndALargeSchemaIdRoundTrip() {
    byte[] payload = OffloadPointer.newBuilder().setUri("s3://b/k").setSizeBytes(5).build().toByteArray();
    byte[] framed = ConfluentFrame.encode(0x01020304, MessageIndexes.of(1, 0), payload);
    assertThat(HEX.formatHex(framed, 0, 8)).isEqualTo("00" + "01020304" + "040200");
    ConfluentFrame decoded = ConfluentFrame.decode(framed);
    assertThat(decoded.schemaId()).isEqualTo(0x01020304);
    assertThat(decoded.messageIndexes()).isEqualTo(MessageIndexes.of(1, 0));
    assertThat(decoded.payloadBytes()).isEqualTo(payload);
  }

  @Test
  void anEnvelopeWithAnAnyPayloadRoundTripsByteForByte() throws Exception {
    FacsimileRecord record = FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue("ari:cloud:jira:w1:issue/1"))
        .setWorkspaceId(Ari.newBuilder().setValue("ari:cloud:platform::workspace/w1"))
        .setVersion(3)
        .setEntity(Any.pack(Ari.newBuilder().setValue("x").build()))
        .build();
    byte[] framed = ConfluentFrame.encode(9, MessageIndexes.of(FacsimileRecord.getDescriptor()), record.toByteArray());
    ConfluentFrame decoded = ConfluentFrame.decode(framed);
    assertThat(FacsimileRecord.parseFrom(decoded.payload())).isEqualTo(record);
    assertThat(ConfluentFrame.encode(decoded.schemaId(), decoded.messageIndexes(), decoded.payloadBytes())).isEqualTo(framed);
  }

  @Test
  void malformedFramesAreRejectedWithTheReason() {
    assertThatThrownBy(() -> ConfluentFrame.decode(HEX.parseHex("01000000010000")))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("magic byte 0x01");
    assertThatThrownBy(() -> ConfluentFrame.decode(HEX.parseHex("000000")))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("too short");
    assertThatThrownBy(() -> ConfluentFrame.decode(null))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("null");
    // count 2 but only one index follows, and that one is a truncated varint
    assertThatThrownBy(() -> ConfluentFrame.decode(HEX.parseHex("000000000104ff")))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("middle of a varint");
    // negative count (zigzag 1 = -1)
    assertThatThrownBy(() -> ConfluentFrame.decode(HEX.parseHex("00000000010100")))
        .isInstanceOf(WireFormatException.class).hasMessageContaining("implausible");
  }
}
