package io.meshlake.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import io.meshlake.contracts.confluence.v1.ConfluencePage;
import io.meshlake.contracts.facsimile.v1.FacsimileRecord;
import io.meshlake.contracts.facsimile.v1.OffloadPointer;
import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.registry.SchemaRegistryClient;
import io.meshlake.contracts.wire.ProtobufDecoder;
import io.meshlake.registry.RegistryConfig;
import io.meshlake.registry.SchemaRegistryServer;
import io.meshlake.testkit.KafkaClusterExtension;
import io.meshlake.testkit.KafkaTestCluster;
import io.meshlake.testkit.S3TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

class ReplicationBusPublisherTest {

  @RegisterExtension
  static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  static SchemaRegistryServer registry;
  static S3TestServer s3;
  static S3Client s3Client;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    registry = SchemaRegistryServer.start(RegistryConfig.builder()
        .bootstrapServers(kafka.bootstrapServers()).topic(KafkaTestCluster.uniqueTopic("_schemas")).listenPort(0).build());
    s3 = S3TestServer.start(dir.resolve("s3"), "offload");
    s3Client = s3.client();
  }

  @AfterAll
  static void stop() {
    s3Client.close();
    s3.close();
    registry.close();
  }

  private ReplicationBusPublisher publisher(PayloadStore store) {
    return new ReplicationBusPublisher(PublisherConfig.of(kafka.bootstrapServers(), registry.url(), store));
  }

  private FacsimileRecord decode(ConsumerRecord<byte[], byte[]> record) {
    return new ProtobufDecoder<>(new SchemaRegistryClient(registry.url()), FacsimileRecord.getDefaultInstance())
        .decode(record.value()).message();
  }

  @Test
  void anEntityChangeIsPublishedAsAConfluentFramedEnvelopeKeyedByItsAri() throws Exception {
    kafka.cluster().createTopic("facsimile.jira", 2);
    JiraIssue issue = JiraIssue.newBuilder().setIssueId("ISSUE-1").setProjectId("P1").setSummary("crash on save")
        .setStatus(IssueStatus.ISSUE_STATUS_OPEN).addLabels("bug").build();
    try (ReplicationBusPublisher publisher = publisher(null)) {
      publisher.publish(EntityChange.upsert("acme", issue, 7)).get();
      publisher.publish(EntityChange.delete("acme", JiraIssue.newBuilder().setIssueId("ISSUE-1").build(), 8)).get();
      assertThat(publisher.publishedCount()).isEqualTo(2);
    }
    List<ConsumerRecord<byte[], byte[]>> records = kafka.cluster().readAll("facsimile.jira");
    assertThat(records).hasSize(2);
    assertThat(records).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsOnly("ari:cloud:jira:acme:issue/ISSUE-1");
    assertThat(records).extracting(ConsumerRecord::partition).as("one entity, one partition").containsOnly(records.get(0).partition());
    FacsimileRecord first = decode(records.get(0));
    assertThat(first.getEntityType()).isEqualTo(1);
    assertThat(first.getWorkspaceId().getValue()).isEqualTo("ari:cloud:platform::workspace/acme");
    assertThat(first.getVersion()).isEqualTo(7);
    assertThat(new PayloadResolver().resolve(first)).isEqualTo(issue);
    FacsimileRecord second = decode(records.get(1));
    assertThat(second.getIsTombstone()).isTrue();
    // Any Confluent client finds both the envelope's and the entity's schema in the registry.
    SchemaRegistryClient client = new SchemaRegistryClient(registry.url());
    assertThat(client.subjects()).contains("facsimile.jira-value", "meshlake.jira.v1.JiraIssue");
    assertThat(client.latest("facsimile.jira-value").text().schema()).contains("message FacsimileRecord");
  }

  @Test
  void aFiveMebibytePayloadIsOffloadedToS3UnderItsWorkspaceAndResolvedIdentically() throws Exception {
    kafka.cluster().createTopic("facsimile.confluence", 1);
    ConfluencePage page = bigPage(5 * 1024 * 1024);
    S3PayloadStore store = new S3PayloadStore(s3Client, "offload");
    try (ReplicationBusPublisher publisher = publisher(store)) {
      publisher.publish(EntityChange.upsert("globex", page, 1)).get();
      assertThat(publisher.offloadedCount()).isEqualTo(1);
    }
    // The domain's topic is shared by this class's tests: pick this workspace's event.
    FacsimileRecord record = kafka.cluster().readAll("facsimile.confluence").stream()
        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).contains(":globex:")).map(this::decode).findFirst().orElseThrow();
    assertThat(record.hasOffloadPointer()).isTrue();
    OffloadPointer pointer = record.getOffloadPointer();
    assertThat(pointer.getUri()).startsWith("s3://offload/workspaces/globex/offload/confluence/");
    assertThat(pointer.getSizeBytes()).isEqualTo(page.getSerializedSize());
    assertThat(pointer.getSha256().size()).isEqualTo(32);
    assertThat(record.getSerializedSize()).as("the bus carries the pointer, not the payload").isLessThan(1024);

    PayloadResolver resolver = new PayloadResolver(store);
    assertThat(resolver.fetch(pointer)).isEqualTo(page.toByteArray());
    assertThat(resolver.resolve(record)).isEqualTo(page);

    // A corrupted object: same size, different bytes.
    String key = URI.create(pointer.getUri()).getPath().substring(1);
    byte[] corrupted = page.toByteArray();
    corrupted[corrupted.length / 2] ^= 0x5a;
    s3Client.putObject(b -> b.bucket("offload").key(key), RequestBody.fromBytes(corrupted));
    assertThatThrownBy(() -> resolver.resolve(record))
        .isInstanceOf(PayloadResolutionException.class)
        .hasMessageContaining(pointer.getUri())
        .hasMessageContaining("SHA-256");
    // A truncated object.
    s3Client.putObject(b -> b.bucket("offload").key(key), RequestBody.fromBytes(new byte[10]));
    assertThatThrownBy(() -> resolver.resolve(record))
        .hasMessageContaining(pointer.getUri()).hasMessageContaining("size is 10 bytes");
    // A missing object.
    s3Client.deleteObject(b -> b.bucket("offload").key(key));
    assertThatThrownBy(() -> resolver.resolve(record))
        .isInstanceOf(PayloadResolutionException.class)
        .hasMessageContaining(pointer.getUri())
        .hasMessageContaining("does not exist");
  }

  @Test
  void payloadsBelowTheThresholdTravelInline() throws Exception {
    kafka.cluster().createTopic("facsimile.confluence", 1);
    ConfluencePage page = bigPage(800 * 1024);
    try (ReplicationBusPublisher publisher = publisher(new S3PayloadStore(s3Client, "offload"))) {
      publisher.publish(EntityChange.upsert("initech", page, 1)).get();
      assertThat(publisher.offloadedCount()).isZero();
    }
  }

  @Test
  void aLocalStoreOffloadsToADirectoryAndRefusesPathsOutsideIt(@TempDir Path local) throws Exception {
    LocalPayloadStore store = new LocalPayloadStore(local);
    ConfluencePage page = bigPage(1024 * 1024);
    FacsimileRecord record;
    try (ReplicationBusPublisher publisher = new ReplicationBusPublisher(
        PublisherConfig.of(kafka.bootstrapServers(), registry.url(), store).withOffloadThreshold(1000))) {
      record = publisher.envelope(io.meshlake.contracts.manifest.EntityCatalog.load()
          .byEntity("meshlake.confluence.v1.ConfluencePage").orElseThrow(), EntityChange.upsert("hooli", page, 3));
    }
    assertThat(record.getOffloadPointer().getUri()).contains("/workspaces/hooli/offload/confluence/");
    Message resolved = new PayloadResolver(store).resolve(record);
    assertThat(resolved).isEqualTo(page);
    Path file = Path.of(URI.create(record.getOffloadPointer().getUri()));
    Files.delete(file);
    assertThatThrownBy(() -> new PayloadResolver(store).resolve(record)).hasMessageContaining("does not exist");
    assertThatThrownBy(() -> store.put("../escape", new byte[1])).hasMessageContaining("escapes");
    assertThatThrownBy(() -> new PayloadResolver().resolve(record)).hasMessageContaining("no configured payload store serves it");
  }

  @Test
  void withoutAStoreAnOversizedPayloadIsRefusedNotTruncated() {
    try (ReplicationBusPublisher publisher = new ReplicationBusPublisher(
        PublisherConfig.of(kafka.bootstrapServers(), registry.url(), null).withOffloadThreshold(100))) {
      assertThatThrownBy(() -> publisher.publish(EntityChange.upsert("acme", bigPage(1000), 1)))
          .hasMessageContaining("above the offload threshold (100) and no offload store is configured");
    }
  }

  @Test
  void badChangesAndBadConfigurationAreRefusedWithTheReason() {
    assertThatThrownBy(() -> EntityChange.upsert("acme", JiraIssue.getDefaultInstance(), -1))
        .hasMessageContaining("version must not be negative");
    assertThatThrownBy(() -> PublisherConfig.of("", "http://localhost:1", null))
        .hasMessageContaining("bootstrap.servers is not set");
    assertThatThrownBy(() -> PublisherConfig.of("localhost:9092", " ", null))
        .hasMessageContaining("schema.registry.url is not set");
    try (ReplicationBusPublisher publisher = publisher(null)) {
      assertThatThrownBy(() -> publisher.publish(EntityChange.upsert("bad workspace!", JiraIssue.newBuilder().setIssueId("1").build(), 1)))
          .hasMessageContaining("workspace 'bad workspace!'");
      assertThatThrownBy(() -> publisher.publish(EntityChange.upsert("acme", JiraIssue.newBuilder().build(), 1)))
          .hasMessageContaining("empty primary key 'issue_id'");
      assertThatThrownBy(() -> publisher.publish(EntityChange.upsert("acme", OffloadPointer.getDefaultInstance(), 1)))
          .hasMessageContaining("has no entity manifest");
    }
  }

  static ConfluencePage bigPage(int bytes) {
    StringBuilder body = new StringBuilder(bytes);
    Random random = new Random(42);
    while (body.length() < bytes) {
      body.append((char) ('a' + random.nextInt(26)));
    }
    return ConfluencePage.newBuilder().setPageId("page-1").setSpaceId("S").setTitle("Handbook").setBodyAdf(body.toString()).build();
  }
}
