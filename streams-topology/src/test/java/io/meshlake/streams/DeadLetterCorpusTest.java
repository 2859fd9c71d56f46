package io.meshlake.streams;

import static io.meshlake.streams.Envelopes.issue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.testkit.KafkaTestCluster;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Bad input is dead-lettered with its reason and coordinates; the good events around it still flow. */
class DeadLetterCorpusTest {

  @Test
  void everyKindOfBadInputLandsInTheDlqWithItsReasonAndGoodEventsAroundItAreForwarded() {
    String registryUrl = TestRegistry.sharedUrl();
    try (TopologyHarness harness = new TopologyHarness(registryUrl)) {
      List<BadInputCorpus.Case> cases = BadInputCorpus.cases(harness.envelopes(), "acme");
      Set<DlqReason> covered = cases.stream().map(BadInputCorpus.Case::reason).collect(Collectors.toCollection(() -> EnumSet.noneOf(DlqReason.class)));
      assertThat(covered).as("one case per reason at least").containsExactlyInAnyOrder(DlqReason.values());

      List<Long> badOffsets = new ArrayList<>();
      long offset = 0;
      for (int i = 0; i < cases.size(); i++) {
        harness.send(issue("acme", "good-" + i, 0, 1));
        offset++;
        BadInputCorpus.Case bad = cases.get(i);
        harness.pipe(BadInputCorpus.TOPIC, bad.key(), bad.value());
        badOffsets.add(offset++);
      }
      harness.send(issue("acme", "good-last", 0, 1));

      List<TestRecord<byte[], byte[]>> dlq = harness.read(TopicNames.deadLetters("jira"));
      assertThat(dlq).hasSize(cases.size());
      for (int i = 0; i < cases.size(); i++) {
        BadInputCorpus.Case expected = cases.get(i);
        TestRecord<byte[], byte[]> letter = dlq.get(i);
        assertThat(Forwarded.header(letter.headers(), DeadLetters.REASON)).as(expected.name()).isEqualTo(expected.reason().name());
        assertThat(Forwarded.header(letter.headers(), DeadLetters.MESSAGE)).as(expected.name()).isNotBlank();
        assertThat(Forwarded.header(letter.headers(), DeadLetters.TOPIC)).isEqualTo("facsimile.jira");
        assertThat(Forwarded.header(letter.headers(), DeadLetters.PARTITION)).isEqualTo("0");
        assertThat(Forwarded.header(letter.headers(), DeadLetters.OFFSET)).isEqualTo(Long.toString(badOffsets.get(i)));
        assertThat(Forwarded.header(letter.headers(), DeadLetters.TIMESTAMP)).isEqualTo(Long.toString(letter.timestamp()));
        assertThat(letter.key()).as(expected.name() + " key").isEqualTo(expected.key());
        assertThat(letter.value()).as(expected.name() + " value").isEqualTo(expected.value());
      }

      List<String> forwarded = harness.read(TopicNames.model("jira_issue")).stream()
          .map(r -> Forwarded.envelope(r.value()).getResourceAri().getValue()).toList();
      List<String> expectedGood = new ArrayList<>();
      for (int i = 0; i < cases.size(); i++) {
        expectedGood.add("ari:cloud:jira:acme:issue/good-" + i);
      }
      expectedGood.add("ari:cloud:jira:acme:issue/good-last");
      assertThat(forwarded).containsExactlyElementsOf(expectedGood);
      TopologyCounts counts = harness.counts();
      assertThat(counts.deadLettered()).isEqualTo(cases.size());
      assertThat(counts.deadLetteredByReason().keySet()).containsExactlyInAnyOrder(
          EnumSet.allOf(DlqReason.class).stream().map(Enum::name).toArray(String[]::new));
      assertThat(counts.forwarded()).isEqualTo(expectedGood.size());
    }
  }

  @Test
  void aRedrivenDeadLetterCarriesOnlyItsLatestVerdict() {
    try (TopologyHarness harness = new TopologyHarness(TestRegistry.sharedUrl())) {
      harness.pipe(BadInputCorpus.TOPIC, "ari:cloud:jira:acme:issue/x".getBytes(), new byte[] {9, 9, 9, 9, 9, 9});
      TestRecord<byte[], byte[]> first = harness.read(TopicNames.deadLetters("jira")).get(0);
      harness.pipe(BadInputCorpus.TOPIC, new TestRecord<>(first.key(), first.value(), first.headers()));
      TestRecord<byte[], byte[]> second = harness.read(TopicNames.deadLetters("jira")).get(0);
      assertThat(second.headers().headers(DeadLetters.REASON)).hasSize(1);
      assertThat(Forwarded.header(second.headers(), DeadLetters.OFFSET)).isEqualTo("1");
    }
  }

  @Test
  void anUnreachableRegistryIsRetriedNotDeadLettered() throws Exception {
    try (KafkaTestCluster cluster = KafkaTestCluster.builder().name("registry-outage").start()) {
      SchemaRegistryServer registry = TestRegistry.start(cluster, 0);
      int port = registry.port();
      String url = registry.url();
      try (TopologyHarness harness = new TopologyHarness(url, Map.of(StreamsTopologyConfig.REGISTRY_RETRY_TIMEOUT_MS, "300"))) {
        var event = issue("acme", "I-1", 0, 1).build();
        byte[] value = harness.envelopes().encode(BadInputCorpus.TOPIC, event);
        registry.close();

        assertThatThrownBy(() -> harness.pipe(BadInputCorpus.TOPIC, Envelopes.key(event), value))
            .isInstanceOf(StreamsException.class)
            .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof RegistryUnavailableException));
        assertThat(harness.read(TopicNames.deadLetters("jira"))).isEmpty();
        assertThat(harness.read(TopicNames.model("jira_issue"))).isEmpty();

        // The same registry state (it lives in Kafka) back on the same address: the record now goes through.
        try (SchemaRegistryServer again = TestRegistry.start(cluster, port)) {
          harness.pipe(BadInputCorpus.TOPIC, Envelopes.key(event), value);
          assertThat(harness.read(TopicNames.model("jira_issue"))).hasSize(1);
          assertThat(harness.read(TopicNames.deadLetters("jira"))).isEmpty();
        }
      }
    }
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> causes = new ArrayList<>();
    for (Throwable c = e; c != null; c = c.getCause()) {
      causes.add(c);
    }
    return causes;
  }
}
