package io.meshlake.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OracleTest {

  @Test
  void theOracleKeepsTheHighestVersionPerKeyWhateverTheDeliveryOrder() {
    WorkloadGenerator g = new WorkloadGenerator(3_000);
    // Start small so the table grows several times on the way.
    Oracle oracle = new Oracle(10);
    Map<String, FacsimileRecord> naive = new HashMap<>();
    g.initialLoad().forEachRemaining(e -> accept(e.envelope(), oracle, naive));
    g.changes(60_000).forEachRemaining(e -> accept(e.envelope(), oracle, naive));

    assertThat(oracle.entities()).isEqualTo(naive.size());
    long live = 0;
    for (FacsimileRecord winner : naive.values()) {
      Oracle.Expected expected = oracle.expected(Oracle.issueNumber(winner.getResourceAri().getValue()));
      assertThat(expected.version()).isEqualTo(winner.getVersion());
      assertThat(expected.deleted()).isEqualTo(winner.getIsTombstone());
      if (!winner.getIsTombstone()) {
        live++;
      }
    }
    assertThat(oracle.liveEntities()).isEqualTo(live).isEqualTo(g.liveIssues());
    assertThat(oracle.accepted()).isGreaterThan(63_000);
    assertThat(oracle.expected(1L)).isNull();
  }

  private static void accept(FacsimileRecord r, Oracle oracle, Map<String, FacsimileRecord> naive) {
    oracle.accept(r);
    naive.merge(r.getResourceAri().getValue(), r, (a, b) -> b.getVersion() > a.getVersion() ? b : a);
  }

  @Test
  void anAriThatIsNotAJiraIssueIsRefused() {
    assertThat(Oracle.issueNumber("ari:cloud:jira:ws001:issue/10000042")).isEqualTo(10_000_042L);
    assertThatThrownBy(() -> Oracle.issueNumber("ari:cloud:jira:ws001:project/1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Oracle.issueNumber("ari:cloud:jira:ws001:issue/ABC-1")).isInstanceOf(IllegalArgumentException.class);
  }
}
