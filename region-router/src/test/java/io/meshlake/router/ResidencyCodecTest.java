package io.meshlake.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResidencyCodecTest {

  private static final Instant AT = Instant.parse("2026-11-02T10:15:30.123Z");

  @Test
  void readsTheDocumentedResidencyFormat() {
    byte[] json = "{\"workspace\":\"acme\",\"region\":\"eu\",\"epoch\":3,\"changed_at\":\"2026-11-02T10:15:30Z\",\"by\":\"ops\"}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(ResidencyCodec.decode(json))
        .isEqualTo(new ResidencyRecord("acme", "eu", 3, Instant.parse("2026-11-02T10:15:30Z")));
  }

  @Test
  void residencyRecordsAndChangesRoundTrip() {
    ResidencyRecord record = new ResidencyRecord("acme", "eu-west", 7, AT);
    assertThat(ResidencyCodec.decode(ResidencyCodec.encode(record))).isEqualTo(record);
    ResidencyChange first = new ResidencyChange("acme", null, "eu", 1, AT);
    ResidencyChange move = new ResidencyChange("acme", "eu", "us", 2, AT);
    assertThat(ResidencyCodec.decodeChange(ResidencyCodec.encode(first))).isEqualTo(first);
    assertThat(ResidencyCodec.decodeChange(ResidencyCodec.encode(move))).isEqualTo(move);
    assertThat(new String(ResidencyCodec.encode(first), StandardCharsets.UTF_8))
        .isEqualTo("{\"workspace\":\"acme\",\"from_region\":null,\"to_region\":\"eu\",\"epoch\":1,"
            + "\"changed_at\":\"2026-11-02T10:15:30.123Z\"}");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "not json|field|not JSON",
      "[1,2]|x|not a JSON object",
      "{\"region\":\"eu\",\"epoch\":1,\"changed_at\":\"2026-11-02T10:15:30Z\"}|x|field 'workspace' is missing",
      "{\"workspace\":\"a c\",\"region\":\"eu\",\"epoch\":1,\"changed_at\":\"2026-11-02T10:15:30Z\"}|x|not a workspace id",
      "{\"workspace\":\"acme\",\"region\":\"EU\",\"epoch\":1,\"changed_at\":\"2026-11-02T10:15:30Z\"}|x|not a region name",
      "{\"workspace\":\"acme\",\"region\":\"eu\",\"epoch\":0,\"changed_at\":\"2026-11-02T10:15:30Z\"}|x|not a whole number >= 1",
      "{\"workspace\":\"acme\",\"region\":\"eu\",\"epoch\":\"3\",\"changed_at\":\"2026-11-02T10:15:30Z\"}|x|not a whole number >= 1",
      "{\"workspace\":\"acme\",\"region\":\"eu\",\"epoch\":1,\"changed_at\":\"yesterday\"}|x|not an ISO-8601 instant",
  })
  void refusesMalformedRecordsNamingTheProblem(String json, String ignored, String message) {
    assertThatThrownBy(() -> ResidencyCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(InvalidResidencyException.class)
        .hasMessageContaining(message);
  }
}
