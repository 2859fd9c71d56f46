package io.meshlake.sink.model;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** Properties of the runtime helpers, checked against simple independent definitions. */
class SqlValuesProperties {

  /** LIKE by its definition: % matches any run of characters, _ exactly one, anything else itself. */
  static boolean likeByDefinition(String s, String p) {
    boolean[][] m = new boolean[s.length() + 1][p.length() + 1];
    m[s.length()][p.length()] = true;
    for (int i = s.length(); i >= 0; i--) {
      for (int j = p.length() - 1; j >= 0; j--) {
        char c = p.charAt(j);
        if (c == '%') {
          m[i][j] = m[i][j + 1] || (i < s.length() && m[i + 1][j]);
        } else {
          m[i][j] = i < s.length() && (c == '_' || c == s.charAt(i)) && m[i + 1][j + 1];
        }
      }
    }
    return m[0][0];
  }

  @Property(tries = 2000)
  void likeAgreesWithItsDefinition(
      @ForAll @Chars({'a', 'b'}) @StringLength(max = 8) String s,
      @ForAll @Chars({'a', 'b', '%', '_'}) @StringLength(max = 6) String pattern) {
    assertThat(SqlValues.like(pattern, '\\', false).matches(s)).as("'%s' LIKE '%s'", s, pattern)
        .isEqualTo(likeByDefinition(s, pattern));
  }

  @Property(tries = 1000)
  void timestampsSurviveTheirTextForm(@ForAll @LongRange(min = -62_135_596_800_000_000L, max = 253_402_300_799_999_999L) long micros) {
    String text = SqlValues.formatTimestamp(micros);
    assertThat(SqlValues.parseTimestamp(text)).as(text).isEqualTo(micros);
  }

  @Property(tries = 1000)
  void datesSurviveTheirTextForm(@ForAll @IntRange(min = -719_162, max = 2_932_896) int days) {
    assertThat(SqlValues.parseDate(SqlValues.formatDate(days))).isEqualTo(days);
  }

  @Property(tries = 1000)
  void codePointOrderIsTheOrderOfUtf8Bytes(
      @ForAll @CharRange(from = 'a', to = 'c') @CharRange(from = '\uE000', to = '\uE002') @StringLength(max = 4) String x,
      @ForAll @AlphaChars @StringLength(max = 4) String y) {
    String a = x + "\uD83D\uDE80";
    String b = y + "\uFFFD";
    int expected = java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(Integer.signum(SqlValues.compareStrings(a, b))).isEqualTo(Integer.signum(expected));
  }
}
