package io.meshlake.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.jira.v1.JiraIssue;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadGeneratorTest {

  /** SHA-256 of the key and envelope bytes of the first 1,000 + 5,000 events of N = 1,000 with seed 42. */
  static final String FIRST_EVENTS_SHA256 = "d4fe66b1861cfc3cae5d83c315ec6d49d315f670b8f43f53feacf8cfa8a4ea17";

  @Test
  void theFirstEventsAreTheSameBytesOnEveryRun() throws Exception {
    assertThat(hashOfFirstEvents()).isEqualTo(hashOfFirstEvents());
    assertThat(hashOfFirstEvents()).isEqualTo(FIRST_EVENTS_SHA256);
  }

  private static String hashOfFirstEvents() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    WorkloadGenerator g = new WorkloadGenerator(1_000);
    Iterator<WorkloadEvent> initial = g.initialLoad();
    while (initial.hasNext()) {
      WorkloadEvent e = initial.next();
      sha.update(e.keyBytes());
      sha.update(e.envelope().toByteArray());
    }
    Iterator<WorkloadEvent> changes = g.changes(5_000);
    while (changes.hasNext()) {
      WorkloadEvent e = changes.next();
      sha.update(e.keyBytes());
      sha.update(e.envelope().toByteArray());
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  @Test
  void theInitialLoadInsertsNIssuesInIdOrderWithTheWorkloadsFields() throws Exception {
    WorkloadGenerator g = new WorkloadGenerator(20_000);
    Iterator<WorkloadEvent> it = g.initialLoad();
    long count = 0;
    long bytes = 0;
    long unresolved = 0;
    long previous = 0;
    Map<String, Integer> perWorkspace = new HashMap<>();
    Set<IssueStatus> statuses = new HashSet<>();
    while (it.hasNext()) {
      WorkloadEvent e = it.next();
      FacsimileRecord r = e.envelope();
      JiraIssue issue = r.getEntity().unpack(JiraIssue.class);
      assertThat(e.kind()).isEqualTo(WorkloadEvent.Kind.INSERT);
      assertThat(e.issueNumber()).isGreaterThan(previous);
      previous = e.issueNumber();
      assertThat(issue.getIssueId()).hasSize(8).isEqualTo(Long.toString(e.issueNumber()));
      String ws = WorkloadGenerator.workspace(e.workspaceRank());
      assertThat(r.getResourceAri().getValue()).isEqualTo("ari:cloud:jira:" + ws + ":issue/" + issue.getIssueId());
      assertThat(r.getWorkspaceId().getValue()).isEqualTo("ari:cloud:platform::workspace/" + ws);
      assertThat(r.getEntityType()).isEqualTo(1);
      assertThat(r.getGenerationWatermark()).isZero();
      assertThat(r.getEntity().getTypeUrl()).isEqualTo("type.googleapis.com/meshlake.jira.v1.JiraIssue");
      assertThat(issue.getSummary().length()).isBetween(40, 120);
      assertThat(issue.getDescription().length()).isBetween(200, 400);
      assertThat(issue.getLabelsCount()).isBetween(0, 4);
      assertThat(issue.getStatus()).isNotEqualTo(IssueStatus.ISSUE_STATUS_UNSPECIFIED);
      statuses.add(issue.getStatus());
      assertThat(issue.getIsResolved()).isEqualTo(issue.hasResolutionAt());
      if (!issue.hasResolutionAt()) {
        unresolved++;
      }
      perWorkspace.merge(ws, 1, Integer::sum);
      bytes += r.getSerializedSize();
      count++;
    }
    assertThat(count).isEqualTo(20_000);
    assertThat(statuses).hasSize(6);
    assertThat(unresolved / (double) count).isBetween(0.57, 0.63);
    // ~600 bytes encoded (the envelope; the Confluent frame adds 6)
    assertThat(bytes / (double) count).isBetween(550.0, 650.0);
    // Zipf(1.1) over 100 workspaces: the largest holds ~24%, the 100th ~0.15%
    Zipf zipf = new Zipf(WorkloadGenerator.WORKSPACES, WorkloadGenerator.ZIPF_EXPONENT);
    assertThat(zipf.probability(1)).isBetween(0.23, 0.25);
    assertThat(perWorkspace.get("ws001") / (double) count).isCloseTo(zipf.probability(1), org.assertj.core.data.Offset.offset(0.01));
    assertThat(perWorkspace.get("ws010") / (double) count).isCloseTo(zipf.probability(10), org.assertj.core.data.Offset.offset(0.006));
    assertThat(perWorkspace.getOrDefault("ws100", 0) / (double) count).isLessThan(0.005);
    assertThat(perWorkspace.size()).isGreaterThan(90);
  }

  @Test
  void theChangeStreamHasTheWorkloadsMixDisorderAndDuplicates() throws Exception {
    WorkloadGenerator g = new WorkloadGenerator(10_000);
    g.initialLoad().forEachRemaining(e -> { });
    long u = 100_000;
    Map<WorkloadEvent.Kind, Long> kinds = new HashMap<>();
    Map<Long, Long> lastVersionByLogical = new HashMap<>();
    Set<Long> deleted = new HashSet<>();
    Map<Long, Long> versionsSeen = new HashMap<>();
    long deliveries = 0;
    long duplicates = 0;
    long firstLogical = 10_000; // the change stream's events follow the initial load's
    long position = 0;
    long displaced = 0;
    Iterator<WorkloadEvent> it = g.changes(u);
    while (it.hasNext()) {
      WorkloadEvent e = it.next();
      deliveries++;
      if (e.duplicate()) {
        duplicates++;
        continue;
      }
      kinds.merge(e.kind(), 1L, Long::sum);
      assertThat(e.version()).isEqualTo(e.logicalIndex() + 1);
      if (e.logicalIndex() - firstLogical != position) {
        displaced++;
      }
      position++;
      versionsSeen.merge(e.issueNumber(), 1L, Long::sum);
      lastVersionByLogical.put(e.logicalIndex(), e.version());
      if (e.tombstone()) {
        assertThat(deleted.add(e.issueNumber())).as("one tombstone per issue").isTrue();
      }
    }
    assertThat(deliveries - duplicates).isEqualTo(u);
    assertThat(lastVersionByLogical).hasSize((int) u);
    assertThat(kinds.get(WorkloadEvent.Kind.UPDATE) / (double) u).isBetween(0.87, 0.89);
    assertThat(kinds.get(WorkloadEvent.Kind.INSERT) / (double) u).isBetween(0.095, 0.105);
    assertThat(kinds.get(WorkloadEvent.Kind.TOMBSTONE) / (double) u).isBetween(0.018, 0.022);
    assertThat(g.swaps() / (double) u).isBetween(0.045, 0.055);
    assertThat(duplicates).isEqualTo(g.duplicates());
    assertThat(duplicates / (double) u).isBetween(0.008, 0.012);
    // a swap moves two events off their place (or one back onto it, when swapped again)
    assertThat(displaced).isBetween(g.swaps(), 2 * g.swaps());
  }

  @Test
  void versionsIncreasePerEntityInGenerationOrderAndNothingFollowsATombstone() {
    WorkloadGenerator g = new WorkloadGenerator(500);
    Map<Long, Long> versions = new HashMap<>();
    Set<Long> deleted = new HashSet<>();
    g.initialLoad().forEachRemaining(e -> versions.put(e.issueNumber(), e.version()));
    java.util.List<WorkloadEvent> delivered = new java.util.ArrayList<>();
    g.changes(20_000).forEachRemaining(delivered::add);
    delivered.stream().filter(e -> !e.duplicate()).sorted(java.util.Comparator.comparingLong(WorkloadEvent::logicalIndex)).forEach(e -> {
      assertThat(deleted).as("no event after the tombstone of " + e.issueNumber()).doesNotContain(e.issueNumber());
      Long previous = versions.put(e.issueNumber(), e.version());
      if (e.kind() != WorkloadEvent.Kind.INSERT) {
        assertThat(previous).isNotNull().isLessThan(e.version());
      }
      if (e.tombstone()) {
        deleted.add(e.issueNumber());
      }
    });
  }

  @Test
  void duplicatesRepeatTheSameBytesWithinAThousandPositions() {
    WorkloadGenerator g = new WorkloadGenerator(1_000);
    g.initialLoad().forEachRemaining(e -> { });
    java.util.List<WorkloadEvent> delivered = new java.util.ArrayList<>();
    g.changes(50_000).forEachRemaining(delivered::add);
    Map<Long, Integer> firstPosition = new HashMap<>();
    for (int i = 0; i < delivered.size(); i++) {
      WorkloadEvent e = delivered.get(i);
      if (!e.duplicate()) {
        firstPosition.put(e.logicalIndex(), i);
      } else {
        Integer first = firstPosition.get(e.logicalIndex());
        assertThat(first).isNotNull();
        assertThat(i - first).isBetween(1, 1_001);
        assertThat(e.envelope().toByteArray()).isEqualTo(delivered.get(first).envelope().toByteArray());
      }
    }
  }

  @Test
  void changesBeforeTheInitialLoadAreRefused() {
    WorkloadGenerator g = new WorkloadGenerator(10);
    assertThatThrownBy(() -> g.changes(5)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> new WorkloadGenerator(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
