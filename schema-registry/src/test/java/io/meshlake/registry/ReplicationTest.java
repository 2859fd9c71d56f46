package io.meshlake.registry;

import static io.meshlake.registry.RegistryHttp.ints;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlake.testkit.KafkaClusterExtension;
import io.meshlake.testkit.KafkaTestCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** State kept in the topic: restarts lose nothing, and instances sharing a topic agree. */
class ReplicationTest {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  private static SchemaRegistryServer start(String topic) {
    return SchemaRegistryServer.start(RegistryConfig.builder()
        .bootstrapServers(KAFKA.bootstrapServers())
        .topic(topic)
        .listenHost("127.0.0.1")
        .listenPort(0)
        .build());
  }

  @Test
  void aRestartedRegistryKeepsSubjectsVersionsIdsConfigsAndDeletes() {
    String topic = KafkaTestCluster.uniqueTopic("_schemas");
    JsonNode before;
    int orderV2;
    int hardDeletedId;
    try (SchemaRegistryServer first = start(topic)) {
      RegistryHttp api = new RegistryHttp(first.url());
      api.registerOk("orders", Protos.order("restart.orders.v1"));
      orderV2 = api.registerOk("orders", Protos.orderWithAmount("restart.orders.v1"));
      api.registerOk("orders-copy", Protos.orderWithAmount("restart.orders.v1"));
      api.registerOk("envelope", Protos.facsimile());
      api.registerOk("holder", Protos.importsFacsimile("restart.holder.v1"),
          new SchemaReference(Protos.FACSIMILE_PATH, "envelope", 1));
      api.setLevel(null, "FULL");
      api.setLevel("orders", "NONE");
      api.setLevel("holder", "FORWARD");
      api.delete("/config/holder");
      api.delete("/subjects/orders/versions/1");
      hardDeletedId = api.registerOk("gone", Protos.order("restart.gone.v1"));
      api.delete("/subjects/gone");
      api.delete("/subjects/gone?permanent=true");
      api.registerOk("soft", Protos.order("restart.soft.v1"));
      api.delete("/subjects/soft");
      before = RegistryDump.of(api);
    }

    try (SchemaRegistryServer second = start(topic)) {
      RegistryHttp api = new RegistryHttp(second.url());

      assertThat(RegistryDump.of(api)).isEqualTo(before);
      assertThat(api.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("FULL");
      assertThat(api.get("/config/orders").json().get("compatibilityLevel").asText()).isEqualTo("NONE");
      assertThat(api.get("/config/holder").errorCode()).isEqualTo(40408);
      assertThat(ints(api.get("/subjects/orders/versions").json())).containsExactly(2);
      assertThat(api.get("/subjects/soft/versions").errorCode()).isEqualTo(40401);
      assertThat(api.get("/schemas/ids/" + hardDeletedId).errorCode()).isEqualTo(40403);
      // Same schema, same id after the restart; a new schema gets a new id, never a hard-deleted one.
      assertThat(api.registerOk("elsewhere", Protos.orderWithAmount("restart.orders.v1"))).isEqualTo(orderV2);
      int fresh = api.registerOk("fresh", Protos.order("restart.fresh.v1"));
      assertThat(fresh).isGreaterThan(hardDeletedId).isNotIn(before.get("by_id").properties().stream()
          .map(e -> Integer.parseInt(e.getKey().split("/")[0])).toList());
      assertThat(api.registerOk("gone", Protos.order("restart.gone.v1"))).isEqualTo(hardDeletedId);
    }
  }

  @Test
  void twoInstancesRegisteringConcurrentlyNeverDisagree() throws Exception {
    String topic = KafkaTestCluster.uniqueTopic("_schemas");
    try (SchemaRegistryServer a = start(topic); SchemaRegistryServer b = start(topic)) {
      RegistryHttp apiA = new RegistryHttp(a.url());
      RegistryHttp apiB = new RegistryHttp(b.url());
      assertThat(apiA.setLevel(null, "NONE").status()).isEqualTo(200);
      awaitLevel(apiB, "NONE");

      List<String> schemas = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        schemas.add(Protos.order("race.p" + i));
        schemas.add(Protos.orderWithAmount("race.p" + i));
      }
      List<String> subjects = List.of("race-a", "race-b", "race-c", "race-d");
      record Result(String subject, String schema, int id) {}
      ConcurrentLinkedQueue<Result> results = new ConcurrentLinkedQueue<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        RegistryHttp api = t % 2 == 0 ? apiA : apiB;
        Random random = new Random(t);
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 12; i++) {
            String subject = subjects.get(random.nextInt(subjects.size()));
            String schema = schemas.get(random.nextInt(schemas.size()));
            results.add(new Result(subject, schema, api.registerOk(subject, schema)));
          }
        }));
      }
      for (Future<?> future : futures) {
        future.get(5, TimeUnit.MINUTES);
      }
      pool.shutdown();

      // Same schema, same id, whichever instance and subject; different schemas, different ids.
      Map<String, Set<Integer>> idsBySchema = new HashMap<>();
      results.forEach(r -> idsBySchema.computeIfAbsent(r.schema(), k -> new HashSet<>()).add(r.id()));
      idsBySchema.values().forEach(ids -> assertThat(ids).hasSize(1));
      Set<Integer> distinct = new HashSet<>();
      idsBySchema.values().forEach(distinct::addAll);
      assertThat(distinct).hasSize(idsBySchema.size());

      // Both instances serve one state: wait for the slower one to apply the last writes.
      JsonNode stateA = RegistryDump.of(apiA);
      JsonNode stateB = awaitDump(apiB, stateA);
      assertThat(stateB).isEqualTo(stateA);

      for (Result r : results) {
        assertThat(apiB.get("/schemas/ids/" + r.id()).json().get("schema").asText()).isEqualTo(r.schema());
      }
      for (String subject : subjects) {
        JsonNode versions = stateA.get("by_subject").get(subject);
        if (versions == null) {
          continue;
        }
        List<Integer> numbers = ints(versions.get("live_versions"));
        Set<Integer> idsInSubject = new HashSet<>();
        for (int i = 0; i < numbers.size(); i++) {
          assertThat(numbers.get(i)).as("versions of %s are 1..n", subject).isEqualTo(i + 1);
          int id = versions.get(Integer.toString(numbers.get(i))).get("id").asInt();
          assertThat(idsInSubject.add(id)).as("schema %d appears once in %s", id, subject).isTrue();
        }
      }
      assertThat(a.metrics().registrations() + b.metrics().registrations())
          .isEqualTo(stateA.get("by_subject").properties().stream()
              .mapToLong(e -> e.getValue().get("live_versions").size()).sum());

      // Deletes and config changes made on one instance are served by the other.
      String deleted = stateA.get("by_subject").properties().iterator().next().getKey();
      assertThat(apiB.delete("/subjects/" + deleted).status()).isEqualTo(200);
      assertThat(apiB.setLevel(deleted, "FULL").status()).isEqualTo(200);
      JsonNode afterDelete = RegistryDump.of(apiB);
      assertThat(awaitDump(apiA, afterDelete)).isEqualTo(afterDelete);
      assertThat(apiA.get("/subjects/" + deleted + "/versions").errorCode()).isEqualTo(40401);
      assertThat(apiA.get("/config/" + deleted).json().get("compatibilityLevel").asText()).isEqualTo("FULL");
    }
  }

  @Test
  void aRecordTheRegistryCannotReadIsSkippedByEveryInstance() {
    String topic = KafkaTestCluster.uniqueTopic("_schemas");
    KAFKA.cluster().createCompactedTopic(topic, 1);
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.cluster().producer()) {
      producer.send(new ProducerRecord<>(topic, "not json".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2}));
      producer.send(new ProducerRecord<>(topic, "{\"meshlake\":1,\"type\":\"REGISTER\",\"proposal\":\"p\"}"
          .getBytes(StandardCharsets.UTF_8), "{\"subject\":\"broken\"}".getBytes(StandardCharsets.UTF_8)));
      producer.flush();
    }
    try (SchemaRegistryServer server = start(topic)) {
      RegistryHttp api = new RegistryHttp(server.url());
      assertThat(api.registerOk("after-garbage", Protos.order("garbage.v1"))).isEqualTo(1);
      assertThat(RegistryHttp.strings(api.get("/subjects").json())).containsExactly("after-garbage");
    }
  }

  @Test
  void theRegistryCreatesItsTopicCompactedWithOnePartition() throws Exception {
    String topic = KafkaTestCluster.uniqueTopic("_schemas");
    try (SchemaRegistryServer ignored = start(topic)) {
      var description = KAFKA.cluster().admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic);
      var resource = new org.apache.kafka.common.config.ConfigResource(
          org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
      var config = KAFKA.cluster().admin().describeConfigs(List.of(resource)).all().get().get(resource);

      assertThat(description.partitions()).hasSize(1);
      assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }
  }

  private static void awaitLevel(RegistryHttp api, String level) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!api.get("/config").json().get("compatibilityLevel").asText().equals(level)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("instance " + api.url() + " never saw level " + level);
      }
      Thread.onSpinWait();
    }
  }

  private static JsonNode awaitDump(RegistryHttp api, JsonNode expected) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    JsonNode dump = RegistryDump.of(api);
    while (!dump.equals(expected) && System.nanoTime() < deadline) {
      dump = RegistryDump.of(api);
    }
    return dump;
  }
}
