package io.meshlake.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class LwwStateSerdeTest {

  private final LwwStateSerde serde = new LwwStateSerde();

  @Test
  void roundTripsEveryField() {
    LwwState state = new LwwState(new EventOrder(Long.MAX_VALUE, 42), true, 1_767_225_600_000L);

    byte[] bytes = serde.serializer().serialize("changelog", state);

    assertThat(bytes).hasSize(26).startsWith(1);
    assertThat(serde.deserializer().deserialize("changelog", bytes)).isEqualTo(state);
  }

  @Test
  void refusesBytesOfAnotherFormatInsteadOfMisreadingThem() {
    byte[] bytes = serde.serializer().serialize("changelog", new LwwState(new EventOrder(0, 1), false, 5));
    bytes[0] = 2;

    assertThatThrownBy(() -> serde.deserializer().deserialize("changelog", bytes))
        .isInstanceOf(SerializationException.class).hasMessageContaining("format 2");
  }

  @Test
  void orderIsGenerationFirstThenVersion() {
    assertThat(new EventOrder(1, 0)).isGreaterThan(new EventOrder(0, 99));
    assertThat(new EventOrder(1, 2)).isGreaterThan(new EventOrder(1, 1));
    assertThat(new EventOrder(1, 2)).isEqualByComparingTo(new EventOrder(1, 2));
  }
}
