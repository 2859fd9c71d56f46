package io.meshlake.streams;

import static io.meshlake.streams.Envelopes.issue;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every last-write-wins and fan-out rule, on the real topology in a TopologyTestDriver. */
class LwwProcessorTest {

  private static final String ISSUE_MODEL = TopicNames.model("jira_issue");
  private static final List<String> ISSUE_MODELS = List.of(ISSUE_MODEL, TopicNames.model("jira_issue_label"),
      TopicNames.model("jira_issue_custom_field"));
  private static String registryUrl;

  private TopologyHarness harness;

  @BeforeAll
  static void registry() {
    registryUrl = TestRegistry.sharedUrl();
  }

  @BeforeEach
  void start() {
    harness = new TopologyHarness(registryUrl, Map.of(
        StreamsTopologyConfig.TOMBSTONE_RETENTION_MS, Long.toString(Duration.ofHours(1).toMillis()),
        StreamsTopologyConfig.TOMBSTONE_PURGE_INTERVAL_MS, Long.toString(Duration.ofMinutes(1).toMillis())));
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void firstEventIsForwardedUnchangedToEveryModelOfItsEntityKeyedByItsAri() {
    FacsimileRecord event = issue("acme", "I-1", 0, 1).build();
    byte[] sent = harness.envelopes().encode(TopicNames.ingress("jira"), event);
    harness.pipe(TopicNames.ingress("jira"), Envelopes.key(event), sent);

    for (String model : ISSUE_MODELS) {
      List<TestRecord<byte[], byte[]>> out = harness.read(model);
      assertThat(out).as(model).hasSize(1);
      assertThat(new String(out.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("ari:cloud:jira:acme:issue/I-1");
      assertThat(out.get(0).value()).as("the original bytes, unchanged").isEqualTo(sent);
      assertThat(Forwarded.header(out.get(0).headers(), FanOut.SOURCE_TOPIC)).isEqualTo("facsimile.jira");
      assertThat(Forwarded.header(out.get(0).headers(), FanOut.SOURCE_PARTITION)).isEqualTo("0");
      assertThat(Forwarded.header(out.get(0).headers(), FanOut.SOURCE_OFFSET)).isEqualTo("0");
    }
    assertThat(harness.read(TopicNames.model("jira_project"))).isEmpty();
    assertThat(harness.read(TopicNames.deadLetters("jira"))).isEmpty();
    TopologyCounts counts = harness.counts();
    assertThat(counts.forwarded()).isEqualTo(1);
    assertThat(counts.forwardedByModel()).containsOnly(
        Map.entry("jira_issue", 1L), Map.entry("jira_issue_label", 1L), Map.entry("jira_issue_custom_field", 1L));
  }

  @Test
  void newerVersionIsForwarded() {
    harness.send(issue("acme", "I-1", 0, 1));
    harness.send(issue("acme", "I-1", 0, 2));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/1", "0/2");
  }

  @Test
  void equalOrderIsADuplicateDroppedAndCounted() {
    harness.send(issue("acme", "I-1", 0, 1));
    harness.send(issue("acme", "I-1", 0, 1));
    harness.send(issue("acme", "I-1", 0, 1).setEntity(Any.pack(JiraIssue.newBuilder().setIssueId("I-1").setSummary("other").build())));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/1");
    assertThat(harness.counts().duplicateDropped()).isEqualTo(2);
    assertThat(harness.counts().staleDropped()).isZero();
  }

  @Test
  void olderVersionIsStaleDroppedAndCounted() {
    harness.send(issue("acme", "I-1", 0, 5));
    harness.send(issue("acme", "I-1", 0, 4));
    harness.send(issue("acme", "I-1", 0, 0));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/5");
    assertThat(harness.counts().staleDropped()).isEqualTo(2);
    assertThat(harness.counts().forwarded()).isEqualTo(1);
  }

  @Test
  void higherGenerationWinsOverAHigherVersionOfAnOlderGeneration() {
    harness.send(issue("acme", "I-1", 0, 9));
    harness.send(issue("acme", "I-1", 1, 1));
    harness.send(issue("acme", "I-1", 0, 10));
    harness.send(issue("acme", "I-1", 1, 1));
    harness.send(issue("acme", "I-1", 1, 2));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/9", "1/1", "1/2");
    assertThat(harness.counts().staleDropped()).isEqualTo(1);
    assertThat(harness.counts().duplicateDropped()).isEqualTo(1);
  }

  @Test
  void tombstoneIsForwardedToEveryModelAndRemembered() {
    harness.send(issue("acme", "I-1", 0, 1));
    harness.send(issue("acme", "I-1", 0, 2).setIsTombstone(true));

    for (String model : ISSUE_MODELS) {
      assertThat(orders(model)).as(model).containsExactly("0/1", "0/2T");
    }
    LwwState state = harness.states("jira").get("ari:cloud:jira:acme:issue/I-1");
    assertThat(state).isEqualTo(new LwwState(new EventOrder(0, 2), true, TopologyHarness.START.toEpochMilli()));
  }

  @Test
  void tombstoneWithoutPayloadIsValid() {
    harness.send(issue("acme", "I-1", 0, 3).setIsTombstone(true).clearPayload());

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/3T");
    assertThat(harness.read(TopicNames.deadLetters("jira"))).isEmpty();
  }

  @Test
  void tombstoneFollowedByAStaleInsertDoesNotResurrectTheEntity() {
    harness.send(issue("acme", "I-1", 0, 1));
    harness.send(issue("acme", "I-1", 0, 3).setIsTombstone(true));
    harness.send(issue("acme", "I-1", 0, 2));
    harness.send(issue("acme", "I-1", 0, 1));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/1", "0/3T");
    assertThat(harness.counts().staleDropped()).isEqualTo(2);
    assertThat(harness.states("jira").get("ari:cloud:jira:acme:issue/I-1").tombstone()).isTrue();
  }

  @Test
  void tombstoneFollowedByANewerInsertRecreatesTheEntity() {
    harness.send(issue("acme", "I-1", 0, 3).setIsTombstone(true));
    harness.send(issue("acme", "I-1", 0, 4));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/3T", "0/4");
    assertThat(harness.states("jira").get("ari:cloud:jira:acme:issue/I-1").tombstone()).isFalse();
  }

  @Test
  void duplicateTombstoneIsDropped() {
    harness.send(issue("acme", "I-1", 0, 3).setIsTombstone(true));
    harness.send(issue("acme", "I-1", 0, 3).setIsTombstone(true));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/3T");
    assertThat(harness.counts().duplicateDropped()).isEqualTo(1);
  }

  @Test
  void tombstoneIsKeptWithinItsRetention() {
    harness.send(issue("acme", "I-1", 0, 3).setIsTombstone(true));
    harness.advanceWallClock(Duration.ofMinutes(59));
    harness.send(issue("acme", "I-1", 0, 2));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/3T");
    assertThat(harness.counts().tombstonesPurged()).isZero();
  }

  @Test
  void tombstoneIsForgottenAfterItsRetentionSoALateOlderEventIsForwardedAgain() {
    harness.send(issue("acme", "I-1", 0, 1));
    harness.send(issue("acme", "I-1", 0, 3).setIsTombstone(true));
    harness.advanceWallClock(Duration.ofMinutes(61));

    assertThat(harness.counts().tombstonesPurged()).isEqualTo(1);
    assertThat(harness.states("jira").get("ari:cloud:jira:acme:issue/I-1")).isNull();
    // The documented limit: past the retention an older event is indistinguishable from a new entity.
    harness.send(issue("acme", "I-1", 0, 2));
    assertThat(orders(ISSUE_MODEL)).containsExactly("0/1", "0/3T", "0/2");
  }

  @Test
  void liveEntitiesAreNeverPurged() {
    harness.send(issue("acme", "I-1", 0, 2));
    harness.advanceWallClock(Duration.ofHours(3));
    harness.send(issue("acme", "I-1", 0, 1));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/2");
    assertThat(harness.counts().tombstonesPurged()).isZero();
  }

  @Test
  void tombstoneReplacedByANewerEventIsNotPurgedWithIt() {
    harness.send(issue("acme", "I-1", 0, 1).setIsTombstone(true));
    harness.advanceWallClock(Duration.ofMinutes(30));
    harness.send(issue("acme", "I-1", 0, 2));
    harness.advanceWallClock(Duration.ofMinutes(45));
    harness.send(issue("acme", "I-1", 0, 1));

    assertThat(orders(ISSUE_MODEL)).containsExactly("0/1T", "0/2");
    assertThat(harness.states("jira").get("ari:cloud:jira:acme:issue/I-1").order()).isEqualTo(new EventOrder(0, 2));
    assertThat(harness.counts().tombstonesPurged()).isZero();
  }

  @Test
  void aTombstoneRenewedByANewerTombstoneExpiresFromTheNewerOne() {
    harness.send(issue("acme", "I-1", 0, 1).setIsTombstone(true));
    harness.advanceWallClock(Duration.ofMinutes(40));
    harness.send(issue("acme", "I-1", 0, 2).setIsTombstone(true));
    harness.advanceWallClock(Duration.ofMinutes(40));

    assertThat(harness.states("jira").get("ari:cloud:jira:acme:issue/I-1")).as("80 min after the first, 40 after the second")
        .isNotNull();
    harness.advanceWallClock(Duration.ofMinutes(21));
    assertThat(harness.states("jira").get("ari:cloud:jira:acme:issue/I-1")).isNull();
    assertThat(harness.counts().tombstonesPurged()).isEqualTo(1);
  }

  @Test
  void entitiesAreIndependent() {
    harness.send(issue("acme", "I-1", 0, 5));
    harness.send(issue("acme", "I-2", 0, 1));
    harness.send(issue("globex", "I-1", 0, 1));

    assertThat(harness.read(ISSUE_MODEL)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly(
        "ari:cloud:jira:acme:issue/I-1", "ari:cloud:jira:acme:issue/I-2", "ari:cloud:jira:globex:issue/I-1");
  }

  @Test
  void eachEntityFeedsOnlyItsOwnModels() {
    harness.send(Envelopes.project("acme", "P-1", 0, 1));
    harness.send(Envelopes.page("acme", "C-1", 0, 1));

    assertThat(orders(TopicNames.model("jira_project"))).containsExactly("0/1");
    assertThat(harness.read(ISSUE_MODEL)).isEmpty();
    assertThat(orders(TopicNames.model("confluence_page"))).containsExactly("0/1");
    assertThat(orders(TopicNames.model("confluence_page_version"))).containsExactly("0/1");
    assertThat(harness.read(TopicNames.model("confluence_space"))).isEmpty();
  }

  @Test
  void countersAreCustomSensorsOfTheStreamsMetricsRegistry() {
    harness.send(issue("acme", "I-1", 0, 2));
    harness.send(issue("acme", "I-1", 0, 1));
    harness.send(issue("acme", "I-1", 0, 2));
    harness.pipe(TopicNames.ingress("jira"), "k".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});

    Map<MetricName, ? extends Metric> metrics = harness.metrics();
    assertThat(value(metrics, TopologyMetrics.FORWARDED, Map.of("domain", "jira"))).isEqualTo(1.0);
    assertThat(value(metrics, TopologyMetrics.STALE_DROPPED, Map.of("domain", "jira"))).isEqualTo(1.0);
    assertThat(value(metrics, TopologyMetrics.DUPLICATE_DROPPED, Map.of("domain", "jira"))).isEqualTo(1.0);
    assertThat(value(metrics, TopologyMetrics.DEAD_LETTERED, Map.of("domain", "jira", "reason", "UNDECODABLE"))).isEqualTo(1.0);
    assertThat(value(metrics, TopologyMetrics.MODEL_FORWARDED, Map.of("model", "jira_issue_label"))).isEqualTo(1.0);
  }

  private static double value(Map<MetricName, ? extends Metric> metrics, String name, Map<String, String> tags) {
    return metrics.entrySet().stream()
        .filter(e -> e.getKey().group().equals(TopologyMetrics.GROUP) && e.getKey().name().equals(name)
            && e.getKey().tags().entrySet().containsAll(tags.entrySet()))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  private List<String> orders(String topic) {
    return harness.read(topic).stream().map(r -> Forwarded.order(r.value())).toList();
  }
}
