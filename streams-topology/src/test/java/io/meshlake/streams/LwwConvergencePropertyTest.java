package io.meshlake.streams;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.JiraIssue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.kafka.streams.state.Stores;

/**
 * Whatever the order and however often events arrive, the topology forwards exactly the events an
 * oracle says it should, and each entity ends at its greatest event.
 *
 * <p>The oracle is the definition, not an algorithm: an event is forwarded if and only if it is
 * strictly greater, by (generation, version), than every earlier event of its entity. Its comparator
 * is written here, independently of {@link EventOrder}.
 */
class LwwConvergencePropertyTest {

  private static final Comparator<Event> ORACLE_ORDER =
      Comparator.comparingLong(Event::generation).thenComparingLong(Event::version);
  private static final String MODEL = TopicNames.model("jira_issue");
  private static final AtomicInteger HISTORIES = new AtomicInteger();

  private static TopologyHarness harness;

  /** One delivery of a change: which of the history's entities, its order, whether it deletes. */
  record Event(int key, long generation, long version, boolean tombstone) {}

  @BeforeContainer
  static void start() {
    // In-memory stores: the driver flushes RocksDB after every record, which would make 1,000 histories take
    // minutes. The stores still go through the application's serdes; RocksDB itself is covered by the other tests.
    harness = new TopologyHarness(TestRegistry.sharedUrl(), Map.of(), Stores::inMemoryKeyValueStore);
  }

  @AfterContainer
  static void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  @Property(tries = 1000)
  void forwardedEventsAreExactlyTheOnesNewerThanEverythingBeforeThem(@ForAll("histories") List<Event> history) {
    Statistics.label("exact duplicate").collect(history.size() != history.stream().distinct().count());
    Statistics.label("tombstone").collect(history.stream().anyMatch(Event::tombstone));
    Statistics.label("late older event").collect(hasLateOlderEvent(history));
    Statistics.label("several entities").collect(history.stream().map(Event::key).distinct().count() > 1);
    // The generator must really produce what the property is about, in a good share of the histories.
    for (String label : List.of("exact duplicate", "tombstone", "late older event", "several entities")) {
      Statistics.label(label).coverage(checker -> checker.check(true).percentage(p -> p >= 20));
    }
    // Each history gets its own workspace, so its entities start without state in the shared driver.
    String workspace = "history-" + HISTORIES.incrementAndGet();
    for (int i = 0; i < history.size(); i++) {
      Event e = history.get(i);
      String id = "k" + e.key();
      FacsimileRecord.Builder record = Envelopes.issue(workspace, id, e.generation(), e.version())
          .setIsTombstone(e.tombstone())
          .setEntity(Any.pack(JiraIssue.newBuilder().setIssueId(id).setSummary(Integer.toString(i)).build()));
      harness.send(record);
    }

    Map<Integer, List<Integer>> forwarded = new LinkedHashMap<>();
    for (var out : harness.read(MODEL)) {
      FacsimileRecord envelope = Forwarded.envelope(out.value());
      int index = Integer.parseInt(unpackIssue(envelope).getSummary());
      forwarded.computeIfAbsent(history.get(index).key(), k -> new ArrayList<>()).add(index);
    }

    Map<Integer, List<Integer>> expected = oracle(history);
    assertThat(forwarded).isEqualTo(expected);
    for (Map.Entry<Integer, List<Integer>> key : expected.entrySet()) {
      Event last = history.get(key.getValue().get(key.getValue().size() - 1));
      Event greatest = history.stream().filter(e -> e.key() == key.getKey()).max(ORACLE_ORDER).orElseThrow();
      assertThat(ORACLE_ORDER.compare(last, greatest)).as("entity k%s converges to its greatest event", key.getKey()).isZero();
    }
    assertThat(harness.read(TopicNames.deadLetters("jira"))).isEmpty();
  }

  /** Per entity, the indexes of the events strictly greater than all of the entity's earlier events. */
  static Map<Integer, List<Integer>> oracle(List<Event> history) {
    Map<Integer, List<Integer>> winners = new LinkedHashMap<>();
    for (int i = 0; i < history.size(); i++) {
      Event candidate = history.get(i);
      boolean newerThanAllBefore = history.subList(0, i).stream()
          .filter(earlier -> earlier.key() == candidate.key())
          .allMatch(earlier -> ORACLE_ORDER.compare(candidate, earlier) > 0);
      if (newerThanAllBefore) {
        winners.computeIfAbsent(candidate.key(), k -> new ArrayList<>()).add(i);
      }
    }
    return winners;
  }

  /**
   * Up to 20 entities; each change may be delivered twice, and the deliveries are shuffled. Small
   * generation and version ranges make equal orders (duplicates) and late older events common.
   */
  @Provide
  Arbitrary<List<Event>> histories() {
    return Arbitraries.integers().between(1, 20).flatMap(keys -> {
      Arbitrary<Event> change = Combinators.combine(
          Arbitraries.integers().between(0, keys - 1),
          Arbitraries.longs().between(0, 2),
          Arbitraries.longs().between(0, 6),
          Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true))).as(Event::new);
      return change.list().ofMinSize(1).ofMaxSize(40).flatMap(changes ->
          Arbitraries.integers().between(0, changes.size() - 1).list().ofMaxSize(15).flatMap(redelivered -> {
            List<Event> deliveries = new ArrayList<>(changes);
            redelivered.forEach(i -> deliveries.add(changes.get(i)));
            return Arbitraries.shuffle(deliveries);
          }));
    });
  }

  private static boolean hasLateOlderEvent(List<Event> history) {
    for (int i = 0; i < history.size(); i++) {
      for (int j = 0; j < i; j++) {
        if (history.get(j).key() == history.get(i).key() && ORACLE_ORDER.compare(history.get(i), history.get(j)) < 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static JiraIssue unpackIssue(FacsimileRecord envelope) {
    try {
      return envelope.getEntity().unpack(JiraIssue.class);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}
