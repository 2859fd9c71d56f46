package io.meshlake.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

class TestKitTest {

  @RegisterExtension
  static final KafkaClusterExtension kafka = new KafkaClusterExtension();

  @Test
  void recordsProducedAreReadBack() throws Exception {
    String topic = KafkaTestCluster.uniqueTopic("roundtrip");
    kafka.cluster().createTopic(topic, 3);
    try (KafkaProducer<byte[], byte[]> producer = kafka.cluster().producer()) {
      for (int i = 0; i < 100; i++) {
        producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(), ("v" + i).getBytes())).get();
      }
    }
    List<ConsumerRecord<byte[], byte[]>> records = kafka.cluster().readAll(topic);
    assertThat(records).hasSize(100);
    assertThat(records.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)))
        .contains("v0", "v99");
  }

  @Test
  void independentClustersDoNotShareTopics() {
    try (KafkaRegions regions = KafkaRegions.start("eu", "us")) {
      String topic = KafkaTestCluster.uniqueTopic("only-eu");
      regions.get("eu").createTopic(topic, 1);
      assertThat(regions.get("eu").bootstrapServers()).isNotEqualTo(regions.get("us").bootstrapServers());
      assertThat(regions.get("us").admin().listTopics().names()).succeedsWithin(java.time.Duration.ofSeconds(30))
          .satisfies(names -> assertThat(names).doesNotContain(topic));
      assertThatThrownBy(() -> regions.get("apac")).hasMessageContaining("no cluster named 'apac'");
    }
  }

  @Test
  void closingTwiceIsHarmless() {
    KafkaTestCluster cluster = KafkaTestCluster.builder().name("twice").start();
    cluster.close();
    cluster.close();
  }

  @Test
  void connectWorkerServesItsRestApi() {
    try (ConnectTestWorker worker = ConnectTestWorker.builder(kafka.bootstrapServers()).start()) {
      ConnectTestWorker.ConnectRest.Response plugins = worker.rest().get("/connector-plugins?connectorsOnly=false");
      assertThat(plugins.ok()).isTrue();
      assertThat(plugins.body()).contains("ByteArrayConverter");
      assertThat(worker.rest().get("/connectors").body()).isEqualTo("[]");
    }
  }

  @Test
  void s3ServerHonoursConditionalPuts(@TempDir Path dir) {
    try (S3TestServer s3 = S3TestServer.start(dir, "lake");
        S3Client client = s3.client()) {
      client.putObject(PutObjectRequest.builder().bucket("lake").key("a").build(), RequestBody.fromString("one"));
      assertThat(client.getObjectAsBytes(b -> b.bucket("lake").key("a")).asUtf8String()).isEqualTo("one");
      // Delta commits on S3 rely on put-if-absent: a second writer of the same log entry must lose.
      assertThatThrownBy(() -> client.putObject(
              PutObjectRequest.builder().bucket("lake").key("a").ifNoneMatch("*").build(), RequestBody.fromString("two")))
          .isInstanceOf(S3Exception.class)
          .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(412));
    }
  }
}
