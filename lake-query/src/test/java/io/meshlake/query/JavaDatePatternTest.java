package io.meshlake.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JavaDatePatternTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "yyyy-MM|%Y-%m",
      "yy/M/d|%y/%-m/%-d",
      "yyyy-MM-dd HH:mm:ss|%Y-%m-%d %H:%M:%S",
      "h:m:s a|%-I:%-M:%-S %p",
      "hh.SSS SSSSSS SSSSSSSSS|%I.%g %f %n",
      "EEE EEEE MMM MMMM|%a %A %b %B",
      "D DDD z|%-j %j %Z",
      "yyyy-MM-dd'T'HH|%Y-%m-%dT%H",
      "'o''clock' ''|o'clock '",
      "100%|100%%"})
  void javaPatternLettersMapToStrftime(String java, String strftime) {
    assertThat(JavaDatePattern.toStrftime(java)).isEqualTo(strftime);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {"yyyy-QQ|'QQ'", "ddd|'ddd'", "SS|'SS'", "G|'G'", "'open|unterminated quote"})
  void lettersWithoutAFaithfulEquivalentAreRefusedByName(String java, String message) {
    assertThatThrownBy(() -> JavaDatePattern.toStrftime(java)).isInstanceOf(QueryException.class).hasMessageContaining(message);
  }
}
