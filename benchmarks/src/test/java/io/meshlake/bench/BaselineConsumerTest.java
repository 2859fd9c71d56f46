package io.meshlake.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BaselineConsumerTest {

  private static BaselineConsumer.Result pass(long millis) {
    return new BaselineConsumer.Result(1_000_000, 650_000_000, millis);
  }

  @Test
  void theBaselineIsTheMedianPassByRateNotByPosition() {
    BaselineConsumer.Result slow = pass(3_600);
    BaselineConsumer.Result middle = pass(2_900);
    BaselineConsumer.Result fast = pass(2_200);
    assertThat(BaselineConsumer.median(List.of(fast, slow, middle))).isSameAs(middle);
    assertThat(BaselineConsumer.median(List.of(slow, middle, fast))).isSameAs(middle);
  }

  @Test
  void anEvenNumberOfPassesTakesTheSlowerMiddleOneAndOnePassIsItself() {
    assertThat(BaselineConsumer.median(List.of(pass(2_000), pass(3_000), pass(2_500), pass(4_000))).millis()).isEqualTo(3_000);
    BaselineConsumer.Result only = pass(2_700);
    assertThat(BaselineConsumer.median(List.of(only))).isSameAs(only);
  }

  @Test
  void noPassIsAnError() {
    assertThatThrownBy(() -> BaselineConsumer.median(List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no baseline pass");
  }
}
