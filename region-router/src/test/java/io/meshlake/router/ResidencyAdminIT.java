package io.meshlake.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.testkit.KafkaClusterExtension;
import io.meshlake.testkit.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ResidencyAdminIT {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-02T10:15:30Z"), ZoneOffset.UTC);

  private String residencyTopic;
  private String changesTopic;

  @BeforeEach
  void topics() {
    residencyTopic = KafkaTestCluster.uniqueTopic("control.workspace-residency");
    changesTopic = KafkaTestCluster.uniqueTopic("control.residency-changes");
  }

  private ResidencyAdmin admin() {
    return new ResidencyAdmin(Map.of("bootstrap.servers", KAFKA.bootstrapServers()), List.of("eu", "us"),
        residencyTopic, changesTopic, CLOCK, Duration.ofSeconds(60));
  }

  private List<ResidencyRecord> residencyLog() {
    return KAFKA.cluster().readAll(residencyTopic).stream().map(r -> ResidencyCodec.decode(r.value())).toList();
  }

  private List<ResidencyChange> changeLog() {
    return KAFKA.cluster().readAll(changesTopic).stream().map(r -> {
      assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(ResidencyCodec.decodeChange(r.value()).workspace());
      return ResidencyCodec.decodeChange(r.value());
    }).toList();
  }

  @Test
  void assignsThenMovesAWorkspaceWithIncreasingEpochsAndPublishesEachChange() {
    try (ResidencyAdmin admin = admin()) {
      assertThat(admin.residency("acme")).isEmpty();
      assertThat(admin.assign("acme", "eu")).isEqualTo(new ResidencyRecord("acme", "eu", 1, CLOCK.instant()));
      assertThat(admin.assign("acme", "eu").epoch()).as("the same region again changes nothing").isEqualTo(1);
      assertThat(admin.assign("acme", "us")).isEqualTo(new ResidencyRecord("acme", "us", 2, CLOCK.instant()));
      assertThat(admin.residency("acme")).contains(new ResidencyRecord("acme", "us", 2, CLOCK.instant()));
    }
    assertThat(residencyLog()).extracting(ResidencyRecord::region, ResidencyRecord::epoch)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("eu", 1L), org.assertj.core.groups.Tuple.tuple("us", 2L));
    assertThat(changeLog()).containsExactly(
        new ResidencyChange("acme", null, "eu", 1, CLOCK.instant()),
        new ResidencyChange("acme", "eu", "us", 2, CLOCK.instant()));
    List<ConsumerRecord<byte[], byte[]>> raw = KAFKA.cluster().readAll(residencyTopic);
    assertThat(new String(raw.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("acme");
  }

  @Test
  void refusesUnknownRegionsAndInvalidWorkspacesByName() {
    try (ResidencyAdmin admin = admin()) {
      assertThatThrownBy(() -> admin.assign("acme", "ap"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown region 'ap'")
          .hasMessageContaining("[eu, us]");
      assertThatThrownBy(() -> admin.assign("no spaces", "eu")).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(residencyLog()).isEmpty();
  }

  @Test
  void twoAdminsNeverHandOutTheSameEpoch() {
    try (ResidencyAdmin first = admin(); ResidencyAdmin second = admin()) {
      assertThat(first.assign("acme", "eu").epoch()).isEqualTo(1);
      // Each reads what the other committed just before, however stale its own view was.
      assertThat(second.assign("acme", "us").epoch()).isEqualTo(2);
      assertThat(first.assign("acme", "eu").epoch()).isEqualTo(3);
      assertThat(second.assign("acme", "us").epoch()).isEqualTo(4);
    }
    assertThat(residencyLog()).extracting(ResidencyRecord::epoch).containsExactly(1L, 2L, 3L, 4L);
    assertThat(changeLog()).extracting(ResidencyChange::fromRegion).containsExactly(null, "eu", "us", "eu");
  }

  @Test
  void assignsManyWorkspacesInOneTransaction() {
    try (ResidencyAdmin admin = admin()) {
      admin.assign("acme", "eu");
      Map<String, ResidencyRecord> now = admin.assignAll(Map.of("acme", "eu", "globex", "us", "initech", "eu"));
      assertThat(now.get("acme").epoch()).isEqualTo(1);
      assertThat(now.get("globex")).isEqualTo(new ResidencyRecord("globex", "us", 1, CLOCK.instant()));
      assertThatThrownBy(() -> admin.assignAll(Map.of("umbrella", "eu", "hooli", "mars")))
          .hasMessageContaining("unknown region 'mars' for workspace 'hooli'");
      assertThat(admin.residency("umbrella")).as("all or nothing").isEmpty();
    }
    assertThat(changeLog()).extracting(ResidencyChange::workspace).containsExactly("acme", "globex", "initech");
  }

  @Test
  void aNewAdminContinuesFromTheEpochsInTheTopic() {
    try (ResidencyAdmin admin = admin()) {
      admin.assign("acme", "eu");
      admin.assign("acme", "us");
    }
    try (ResidencyAdmin admin = admin()) {
      assertThat(admin.residency("acme").orElseThrow().epoch()).isEqualTo(2);
      assertThat(admin.assign("acme", "eu").epoch()).isEqualTo(3);
    }
  }
}
