package io.meshlake.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ResourceArisTest {

  /** The documented rule, as a regex: what the hand-written check must agree with. */
  private static final Pattern RULE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

  @Test
  void workspaceNamesFollowTheDocumentedRule() {
    String alphabet = "aZ09-_.:/ é\u0000";
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      int length = random.nextInt(i % 100 == 0 ? 140 : 6);
      StringBuilder b = new StringBuilder();
      for (int j = 0; j < length; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String name = b.toString();
      boolean expected = RULE.matcher(name).matches();
      assertThat(ResourceAris.isWorkspaceName(name)).as("'%s'", name).isEqualTo(expected);
      assertThat(ResourceAris.workspaceOf("ari:cloud:platform::workspace/" + name)).isEqualTo(expected ? name : null);
    }
    assertThat(ResourceAris.isWorkspaceName("a".repeat(128))).isTrue();
    assertThat(ResourceAris.isWorkspaceName("a".repeat(129))).isFalse();
    assertThat(ResourceAris.isWorkspaceName(null)).isFalse();
    assertThat(ResourceAris.workspaceOf("ari:cloud:jira:acme:issue/1")).isNull();
  }
}
