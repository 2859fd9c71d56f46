package io.meshlake.router;

import static io.meshlake.router.Envelopes.key;
import static io.meshlake.router.Envelopes.residency;
import static io.meshlake.router.Envelopes.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.contracts.facsimile.v1.Ari;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.wire.ConfluentFrame;
import io.meshlake.contracts.wire.MessageIndexes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The routing topology on Kafka Streams' test driver: routing, DLQ, residency epochs, held events. */
class RegionRoutingTopologyTest {

  private static final String JIRA = "facsimile.jira";
  private static final String CONFLUENCE = "facsimile.confluence";
  private static final Instant START = Instant.parse("2026-11-02T10:00:00Z");

  private Path stateDir;

  private TopologyTestDriver driver;
  private RouterMetrics metrics;
  private TestInputTopic<byte[], byte[]> jira;
  private TestInputTopic<byte[], byte[]> confluence;
  private TestInputTopic<String, byte[]> residencyTopic;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private void start(UnaryOperator<RegionRouterConfig.Builder> customize) {
    // Under target/, not the OS temp dir Kafka Streams warns about.
    stateDir = Path.of("target", "state", "ttd-" + System.nanoTime());
    RegionRouterConfig config = customize.apply(RegionRouterConfig.builder()
            .bootstrapServers("ingress:9092")
            .region("eu", "eu:9092")
            .region("us", "us:9092")
            .sourceTopics(List.of(JIRA, CONFLUENCE))
            .stateDir(stateDir))
        .build();
    metrics = new RouterMetrics(config.regions(), new HeldWorkspaces());
    driver = new TopologyTestDriver(RegionRoutingTopology.build(config, metrics),
        RegionRouterApp.streamsProperties(config), START);
    jira = driver.createInputTopic(JIRA, new ByteArraySerializer(), new ByteArraySerializer());
    confluence = driver.createInputTopic(CONFLUENCE, new ByteArraySerializer(), new ByteArraySerializer());
    residencyTopic = driver.createInputTopic(config.residencyTopic(), new StringSerializer(), new ByteArraySerializer());
  }

  private void start() {
    start(b -> b);
  }

  private void assign(String workspace, String region, long epoch) {
    residencyTopic.pipeInput(workspace, residency(workspace, region, epoch));
  }

  private List<TestRecord<byte[], byte[]>> read(String topic) {
    return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer()).readRecordsToList();
  }

  private static TestRecord<byte[], byte[]> event(String workspace, String id, long version) {
    return new TestRecord<>(key("jira", workspace, id), value("jira", workspace, id, version),
        new RecordHeaders().add("trace", ("t-" + id + "-" + version).getBytes(StandardCharsets.UTF_8)),
        START.plusSeconds(version));
  }

  private static List<Long> versions(List<TestRecord<byte[], byte[]>> records) {
    return records.stream().map(r -> Envelopes.versionOf(r.value())).toList();
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Test
  void routesEachEventUnchangedToItsWorkspacesRegion() {
    start();
    assign("acme", "eu", 1);
    assign("globex", "us", 1);

    TestRecord<byte[], byte[]> acmeIssue = event("acme", "1", 1);
    jira.pipeInput(acmeIssue);
    jira.pipeInput(event("globex", "2", 1));
    confluence.pipeInput(key("confluence", "acme", "p"), value("confluence", "acme", "p", 1));

    List<TestRecord<byte[], byte[]>> euJira = read("region.eu.facsimile.jira");
    assertThat(euJira).hasSize(1);
    TestRecord<byte[], byte[]> routed = euJira.get(0);
    assertThat(routed.key()).isEqualTo(acmeIssue.key());
    assertThat(routed.value()).isEqualTo(acmeIssue.value());
    assertThat(routed.headers().toArray()).containsExactly(acmeIssue.headers().toArray());
    assertThat(routed.getRecordTime()).isEqualTo(acmeIssue.getRecordTime());
    assertThat(read("region.us.facsimile.jira")).extracting(r -> Envelopes.workspaceOf(r.value())).containsExactly("globex");
    assertThat(read("region.eu.facsimile.confluence")).extracting(r -> Envelopes.workspaceOf(r.value())).containsExactly("acme");
    assertThat(driver.producedTopicNames()).doesNotContain("region.us.facsimile.confluence", "ingress.dlq.jira");
    assertThat(metrics.routed("eu")).isEqualTo(2);
    assertThat(metrics.routed("us")).isEqualTo(1);
  }

  static Stream<Arguments> unroutableEvents() {
    byte[] goodKey = key("jira", "acme", "1");
    FacsimileRecord noWorkspace = FacsimileRecord.newBuilder()
        .setResourceAri(Ari.newBuilder().setValue(Envelopes.resourceAri("jira", "acme", "1"))).build();
    FacsimileRecord notAWorkspaceAri = noWorkspace.toBuilder()
        .setWorkspaceId(Ari.newBuilder().setValue("ari:cloud:jira:acme:project/1")).build();
    byte[] protobufGarbage = ConfluentFrame.encode(1, MessageIndexes.of(FacsimileRecord.getDescriptor()),
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
    byte[] wrongMessage = ConfluentFrame.encode(1, MessageIndexes.of(0), value("jira", "acme", "1", 1));
    return Stream.of(
        Arguments.of("garbage bytes", goodKey, "not a frame".getBytes(StandardCharsets.UTF_8), DlqReason.INVALID_FRAME),
        Arguments.of("null value", goodKey, null, DlqReason.INVALID_FRAME),
        Arguments.of("protobuf garbage", goodKey, protobufGarbage, DlqReason.INVALID_ENVELOPE),
        Arguments.of("another message type", goodKey, wrongMessage, DlqReason.INVALID_ENVELOPE),
        Arguments.of("no workspace_id", goodKey, Envelopes.frame(noWorkspace), DlqReason.MISSING_WORKSPACE),
        Arguments.of("workspace_id not a workspace ARI", goodKey, Envelopes.frame(notAWorkspaceAri),
            DlqReason.MISSING_WORKSPACE),
        Arguments.of("null key", null, value("jira", "acme", "1", 1), DlqReason.INVALID_KEY),
        Arguments.of("key not an ARI", "acme/1".getBytes(StandardCharsets.UTF_8), value("jira", "acme", "1", 1),
            DlqReason.INVALID_KEY),
        Arguments.of("key of another workspace", key("jira", "globex", "1"), value("jira", "acme", "1", 1),
            DlqReason.WORKSPACE_MISMATCH));
  }

  @ParameterizedTest(name = "{0} → {3}")
  @MethodSource("unroutableEvents")
  void unroutableEventsGoToTheDlqAndNeverToARegion(String what, byte[] key, byte[] value, DlqReason reason) {
    start();
    assign("acme", "eu", 1);
    assign("globex", "us", 1);
    jira.pipeInput(new TestRecord<>(key, value, new RecordHeaders().add("trace", new byte[] {7}), START));

    List<TestRecord<byte[], byte[]>> dlq = read("ingress.dlq.jira");
    assertThat(dlq).hasSize(1);
    TestRecord<byte[], byte[]> rejected = dlq.get(0);
    assertThat(rejected.key()).isEqualTo(key);
    assertThat(rejected.value()).isEqualTo(value);
    assertThat(header(rejected, RegionRouter.HEADER_REASON)).isEqualTo(reason.label());
    assertThat(header(rejected, RegionRouter.HEADER_MESSAGE)).isNotBlank();
    assertThat(header(rejected, RegionRouter.HEADER_TOPIC)).isEqualTo(JIRA);
    assertThat(header(rejected, RegionRouter.HEADER_PARTITION)).isEqualTo("0");
    assertThat(header(rejected, RegionRouter.HEADER_OFFSET)).isEqualTo("0");
    assertThat(rejected.headers().lastHeader("trace").value()).containsExactly(7);
    assertThat(driver.producedTopicNames()).noneMatch(topic -> topic.startsWith("region."));
    assertThat(metrics.dlq(reason)).isEqualTo(1);
    assertThat(metrics.heldEvents()).isZero();
  }

  @Test
  void residencyOnlyMovesToAStrictlyHigherEpoch() {
    start();
    assign("acme", "eu", 3);
    assign("acme", "us", 2); // late writer, older epoch
    assign("acme", "us", 3); // same epoch, other region
    jira.pipeInput(event("acme", "1", 1));
    assertThat(read("region.eu.facsimile.jira")).hasSize(1);
    assertThat(metrics.staleResidency()).isEqualTo(2);

    assign("acme", "us", 4);
    jira.pipeInput(event("acme", "1", 2));
    assertThat(read("region.us.facsimile.jira")).extracting(r -> Envelopes.versionOf(r.value())).containsExactly(2L);
    assertThat(read("region.eu.facsimile.jira")).isEmpty();
  }

  @Test
  void invalidResidencyRecordsAreSkippedWithoutStoppingTheRouter() {
    start();
    assign("acme", "eu", 1);
    residencyTopic.pipeInput("acme", "not json".getBytes(StandardCharsets.UTF_8));
    residencyTopic.pipeInput("acme", "{\"workspace\":\"acme\",\"region\":\"us\"}".getBytes(StandardCharsets.UTF_8));
    residencyTopic.pipeInput("acme", residency("globex", "us", 9)); // key and value disagree
    residencyTopic.pipeInput("acme", "{\"workspace\":\"acme\",\"region\":\"US!\",\"epoch\":5,\"changed_at\":\"2026-11-02T10:15:30Z\"}"
        .getBytes(StandardCharsets.UTF_8));
    residencyTopic.pipeInput((String) null, residency("acme", "us", 10));

    jira.pipeInput(event("acme", "1", 1));
    assertThat(read("region.eu.facsimile.jira")).hasSize(1);
    assertThat(metrics.invalidResidency()).isEqualTo(5);
  }

  @Test
  void aResidencyTombstoneRemovesTheWorkspacesResidency() {
    start();
    assign("acme", "eu", 1);
    residencyTopic.pipeInput("acme", (byte[]) null);
    jira.pipeInput(event("acme", "1", 1));
    assertThat(driver.producedTopicNames()).noneMatch(topic -> topic.startsWith("region."));
    assertThat(metrics.held().byWorkspace()).containsOnlyKeys("acme");
  }

  @Test
  void holdsEventsOfAnUnassignedWorkspaceAndReleasesThemInOrderOnceAssigned() {
    start();
    assign("acme", "eu", 1);
    for (int v = 1; v <= 5; v++) {
      jira.pipeInput(event("initech", "9", v));
      jira.pipeInput(event("acme", "1", v));
    }
    assertThat(read("region.eu.facsimile.jira")).hasSize(5); // acme is not blocked by initech
    assertThat(metrics.held().byWorkspace()).containsOnlyKeys("initech");
    assertThat(metrics.held().byWorkspace().get("initech").events()).isEqualTo(5);
    assertThat(metrics.heldBytes()).isPositive();

    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(driver.producedTopicNames()).doesNotContain("region.us.facsimile.jira");

    assign("initech", "us", 1);
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    List<TestRecord<byte[], byte[]>> released = read("region.us.facsimile.jira");
    assertThat(versions(released)).containsExactly(1L, 2L, 3L, 4L, 5L);
    for (TestRecord<byte[], byte[]> record : released) {
      TestRecord<byte[], byte[]> original = event("initech", "9", Envelopes.versionOf(record.value()));
      assertThat(record.key()).isEqualTo(original.key());
      assertThat(record.value()).isEqualTo(original.value());
      assertThat(record.headers().toArray()).containsExactly(original.headers().toArray());
      assertThat(record.getRecordTime()).isEqualTo(original.getRecordTime());
    }
    assertThat(metrics.heldEvents()).isZero();
    assertThat(metrics.held().byWorkspace()).isEmpty();
    assertThat(metrics.released()).isEqualTo(5);
  }

  @Test
  void anEventArrivingAfterTheAssignmentLeavesBehindTheHeldOnes() {
    start();
    jira.pipeInput(event("initech", "9", 1));
    jira.pipeInput(event("initech", "9", 2));
    assign("initech", "eu", 1);
    // No punctuation yet: the next event itself releases the held ones first.
    jira.pipeInput(event("initech", "9", 3));
    assertThat(versions(read("region.eu.facsimile.jira"))).containsExactly(1L, 2L, 3L);
    assertThat(metrics.released()).isEqualTo(2);
  }

  @Test
  void laterEventsOfAHeldWorkspaceAreHeldBehindTheEarlierOnes() {
    start();
    jira.pipeInput(event("initech", "9", 1));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    jira.pipeInput(event("initech", "9", 2));
    jira.pipeInput(event("initech", "8", 1));
    assertThat(metrics.held().byWorkspace().get("initech").events()).isEqualTo(3);
    assign("initech", "us", 1);
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(read("region.us.facsimile.jira")).extracting(r -> new String(r.key(), StandardCharsets.UTF_8) + "#"
        + Envelopes.versionOf(r.value())).containsExactly(Envelopes.resourceAri("jira", "initech", "9") + "#1",
        Envelopes.resourceAri("jira", "initech", "9") + "#2", Envelopes.resourceAri("jira", "initech", "8") + "#1");
  }

  @Test
  void aResidencyNamingAnUnknownRegionHoldsEventsInsteadOfGuessing() {
    start(b -> b.defaultRegion("eu"));
    assign("acme", "ap", 1);
    jira.pipeInput(event("acme", "1", 1));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(driver.producedTopicNames()).noneMatch(topic -> topic.startsWith("region."));
    assertThat(metrics.held().byWorkspace()).containsOnlyKeys("acme");

    assign("acme", "us", 2);
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(read("region.us.facsimile.jira")).hasSize(1);
    assertThat(metrics.heldEvents()).isZero();
  }

  @Test
  void aDefaultRegionTakesWorkspacesWithoutResidencyInsteadOfHolding() {
    start(b -> b.defaultRegion("eu"));
    jira.pipeInput(event("initech", "9", 1));
    assertThat(versions(read("region.eu.facsimile.jira"))).containsExactly(1L);
    assertThat(metrics.heldEvents()).isZero();

    assign("initech", "us", 1);
    jira.pipeInput(event("initech", "9", 2));
    assertThat(versions(read("region.us.facsimile.jira"))).containsExactly(2L);
    assertThat(read("region.eu.facsimile.jira")).isEmpty();
  }

  @Test
  void withoutATopicListEveryIngressTopicMatchingThePatternIsRouted() {
    start(b -> b.sourceTopics(List.of()));
    assign("acme", "us", 1);
    TestInputTopic<byte[], byte[]> bitbucket =
        driver.createInputTopic("facsimile.bitbucket", new ByteArraySerializer(), new ByteArraySerializer());
    bitbucket.pipeInput(key("bitbucket", "acme", "r"), value("bitbucket", "acme", "r", 1));
    assertThat(read("region.us.facsimile.bitbucket")).hasSize(1);
  }

  @Test
  void aPatternNeverSubscribesToTopicsOutsideFacsimile() {
    // "jira" matches the configured pattern but is no ingress topic: it has no region topic name.
    start(b -> b.sourceTopics(List.of()).sourcePattern("jira|facsimile\\..+"));
    TestInputTopic<byte[], byte[]> notIngress =
        driver.createInputTopic("jira", new ByteArraySerializer(), new ByteArraySerializer());
    assertThatThrownBy(() -> notIngress.pipeInput(key("jira", "acme", "1"), value("jira", "acme", "1", 1)))
        .hasMessageContaining("Unknown topic");
  }

  @Test
  void aResidencyChangeAppliesToEventsRoutedAfterItAndLeavesEarlierOnesInPlace() {
    start();
    assign("acme", "eu", 1);
    jira.pipeInput(event("acme", "1", 1));
    jira.pipeInput(event("acme", "1", 2));
    assign("acme", "us", 2);
    jira.pipeInput(event("acme", "1", 3));
    assertThat(versions(read("region.eu.facsimile.jira"))).containsExactly(1L, 2L);
    assertThat(versions(read("region.us.facsimile.jira"))).containsExactly(3L);
  }
}
