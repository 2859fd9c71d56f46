package io.meshlake.registry;

import static io.meshlake.registry.RegistryHttp.enc;
import static io.meshlake.registry.RegistryHttp.ints;
import static io.meshlake.registry.RegistryHttp.schema;
import static io.meshlake.registry.RegistryHttp.strings;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlake.registry.RegistryHttp.Reply;
import io.meshlake.testkit.KafkaClusterExtension;
import io.meshlake.testkit.KafkaTestCluster;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every endpoint of the REST API against a real registry on a real broker, over real HTTP. */
class RestApiTest {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static SchemaRegistryServer server;
  private static RegistryHttp http;

  @BeforeAll
  static void startRegistry() {
    server = startServer();
    http = new RegistryHttp(server.url());
  }

  @AfterAll
  static void stopRegistry() {
    if (server != null) {
      server.close();
    }
  }

  static SchemaRegistryServer startServer() {
    return SchemaRegistryServer.start(RegistryConfig.builder()
        .bootstrapServers(KAFKA.bootstrapServers())
        .topic(KafkaTestCluster.uniqueTopic("_schemas"))
        .listenHost("127.0.0.1")
        .listenPort(0)
        .build());
  }

  /** A fresh subject and package name for one test. */
  private static String unique(String prefix) {
    return prefix + COUNTER.incrementAndGet();
  }

  @Test
  void registeringReturnsAnIdAndTheSameSchemaAgainGetsTheSameIdAndNoNewVersion() {
    String subject = unique("orders-value-");
    String pkg = unique("test.same.v");
    int id = http.registerOk(subject, Protos.order(pkg));
    // Same schema with other comments and layout: the canonical form decides.
    String reformatted = "// a comment\n" + Protos.order(pkg).replace("  string id = 1;", "string   id=1; // the key");

    assertThat(http.registerOk(subject, Protos.order(pkg))).isEqualTo(id);
    assertThat(http.registerOk(subject, reformatted)).isEqualTo(id);
    assertThat(ints(http.get("/subjects/" + subject + "/versions").json())).containsExactly(1);
  }

  @Test
  void theSameSchemaUnderAnotherSubjectGetsTheSameIdAndADifferentSchemaANewOne() {
    String pkg = unique("test.shared.v");
    int first = http.registerOk(unique("a-"), Protos.order(pkg));
    String other = unique("b-");

    assertThat(http.registerOk(other, Protos.order(pkg))).isEqualTo(first);
    assertThat(http.registerOk(unique("c-"), Protos.order(unique("test.other.v")))).isNotEqualTo(first);
    Reply pairs = http.get("/schemas/ids/" + first + "/versions");
    assertThat(pairs.json()).hasSize(2);
    assertThat(pairs.json().toString()).contains("\"subject\":\"" + other + "\",\"version\":1");
  }

  @Test
  void aMissingSchemaTypeMeansAvroAndIsRefusedWith42201() {
    Reply reply = http.post("/subjects/" + unique("avro-") + "/versions",
        "{\"schema\":\"{\\\"type\\\":\\\"string\\\"}\"}");

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).contains("AVRO").contains("only PROTOBUF");
    assertThat(reply.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
  }

  @Test
  void otherSchemaTypesAreRefusedWith42201() {
    var body = schema(Protos.order(unique("t.v")));
    body.put("schemaType", "JSON");

    Reply reply = http.post("/subjects/" + unique("json-") + "/versions", body);

    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).contains("JSON").contains("only PROTOBUF");
  }

  @Test
  void aSyntaxErrorIs42201NamingTheLine() {
    String broken = "syntax = \"proto3\";\npackage x.v1;\nmessage Broken {\n  string id = ;\n}\n";

    Reply reply = http.register(unique("broken-"), broken);

    assertThat(reply.status()).isEqualTo(422);
    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).contains("Invalid schema").contains(":4");
  }

  @Test
  void anImportWithoutAReferenceIs42201SayingWhatIsMissing() {
    Reply reply = http.register(unique("holder-"), Protos.importsFacsimile(unique("test.noref.v")));

    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).contains(Protos.FACSIMILE_PATH).contains("references");
  }

  @Test
  void aReferenceToAnUnregisteredVersionIs42201() {
    Reply reply = http.register(unique("holder-"), Protos.importsFacsimile(unique("test.badref.v")),
        new SchemaReference(Protos.FACSIMILE_PATH, unique("nowhere-"), 1));

    assertThat(reply.errorCode()).isEqualTo(42201);
    assertThat(reply.message()).contains("not registered");
  }

  @Test
  void referencesResolveImportsAndAreReturnedWithTheSchema() {
    String envelopeSubject = unique("facsimile-");
    int envelopeId = http.registerOk(envelopeSubject, Protos.facsimile());
    String subject = unique("holder-");
    SchemaReference ref = new SchemaReference(Protos.FACSIMILE_PATH, envelopeSubject, 1);
    String proto = Protos.importsFacsimile(unique("test.refs.v"));

    int id = http.registerOk(subject, proto, ref);

    assertThat(id).isNotEqualTo(envelopeId);
    JsonNode version = http.get("/subjects/" + subject + "/versions/1").json();
    assertThat(version.get("references")).hasSize(1);
    assertThat(version.get("references").get(0).get("name").asText()).isEqualTo(Protos.FACSIMILE_PATH);
    assertThat(version.get("references").get(0).get("subject").asText()).isEqualTo(envelopeSubject);
    assertThat(version.get("references").get(0).get("version").asInt()).isEqualTo(1);
    JsonNode byId = http.get("/schemas/ids/" + id).json();
    assertThat(byId.get("schemaType").asText()).isEqualTo("PROTOBUF");
    assertThat(byId.get("schema").asText()).isEqualTo(proto);
    assertThat(byId.get("references").get(0).get("subject").asText()).isEqualTo(envelopeSubject);
    assertThat(ints(http.get("/subjects/" + envelopeSubject + "/versions/1/referencedby").json())).containsExactly(id);
    // The same text importing another version of the envelope is another schema.
    http.setLevel(envelopeSubject, "NONE");
    http.registerOk(envelopeSubject, Protos.facsimile() + "\nmessage Extra {}\n");
    assertThat(http.registerOk(unique("holder-"), proto, new SchemaReference(Protos.FACSIMILE_PATH, envelopeSubject, 2)))
        .isNotEqualTo(id);
  }

  @Test
  void aReferencedVersionCannotBeDeleted() {
    String envelopeSubject = unique("facsimile-");
    http.registerOk(envelopeSubject, Protos.facsimile());
    http.registerOk(unique("holder-"), Protos.importsFacsimile(unique("test.pinned.v")),
        new SchemaReference(Protos.FACSIMILE_PATH, envelopeSubject, 1));

    Reply version = http.delete("/subjects/" + envelopeSubject + "/versions/1");
    Reply subject = http.delete("/subjects/" + envelopeSubject);

    assertThat(version.errorCode()).isEqualTo(42206);
    assertThat(subject.errorCode()).isEqualTo(42206);
    assertThat(version.message()).contains(envelopeSubject);
  }

  @Test
  void lookupFindsARegisteredSchemaUnderItsSubject() {
    String subject = unique("lookup-");
    String pkg = unique("test.lookup.v");
    http.registerOk(subject, Protos.order(pkg));
    http.setLevel(subject, "NONE");
    int id = http.registerOk(subject, Protos.orderWithAmount(pkg));

    Reply found = http.post("/subjects/" + subject, schema(Protos.orderWithAmount(pkg)));
    Reply missing = http.post("/subjects/" + subject, schema(Protos.orderWithAmountAndNote(pkg)));
    Reply noSubject = http.post("/subjects/" + unique("none-"), schema(Protos.order(pkg)));

    assertThat(found.status()).isEqualTo(200);
    assertThat(found.json().get("subject").asText()).isEqualTo(subject);
    assertThat(found.json().get("id").asInt()).isEqualTo(id);
    assertThat(found.json().get("version").asInt()).isEqualTo(2);
    assertThat(found.json().get("schemaType").asText()).isEqualTo("PROTOBUF");
    assertThat(found.json().get("schema").asText()).isEqualTo(Protos.orderWithAmount(pkg));
    assertThat(found.json().get("references").isArray()).isTrue();
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.errorCode()).isEqualTo(40403);
    assertThat(noSubject.errorCode()).isEqualTo(40401);
    assertThat(noSubject.message()).contains("not found");
  }

  @Test
  void subjectsVersionsAndSchemasAreListedAndFetched() {
    String subject = unique("list-");
    String pkg = unique("test.list.v");
    int v1 = http.registerOk(subject, Protos.order(pkg));
    int v2 = http.registerOk(subject, Protos.orderWithAmount(pkg));

    assertThat(strings(http.get("/subjects").json())).contains(subject);
    assertThat(strings(http.get("/subjects?subjectPrefix=" + subject).json())).containsExactly(subject);
    assertThat(ints(http.get("/subjects/" + subject + "/versions").json())).containsExactly(1, 2);
    JsonNode latest = http.get("/subjects/" + subject + "/versions/latest").json();
    assertThat(latest.get("subject").asText()).isEqualTo(subject);
    assertThat(latest.get("version").asInt()).isEqualTo(2);
    assertThat(latest.get("id").asInt()).isEqualTo(v2);
    assertThat(latest.get("schemaType").asText()).isEqualTo("PROTOBUF");
    assertThat(latest.get("schema").asText()).isEqualTo(Protos.orderWithAmount(pkg));
    assertThat(http.get("/subjects/" + subject + "/versions/-1").json().get("version").asInt()).isEqualTo(2);
    assertThat(http.get("/subjects/" + subject + "/versions/1").json().get("id").asInt()).isEqualTo(v1);
    Reply raw = http.get("/subjects/" + subject + "/versions/1/schema");
    assertThat(raw.status()).isEqualTo(200);
    assertThat(raw.body()).isEqualTo(Protos.order(pkg));
    assertThat(http.get("/schemas/ids/" + v1 + "/schema").body()).isEqualTo(Protos.order(pkg));
    assertThat(strings(http.get("/schemas/ids/" + v2 + "/subjects").json())).containsExactly(subject);
    assertThat(strings(http.get("/schemas/types").json())).containsExactly("PROTOBUF");
    assertThat(http.get("/").status()).isEqualTo(200);
  }

  @Test
  void unknownSubjectsVersionsAndIdsGetConfluentErrors() {
    String subject = unique("errors-");
    http.registerOk(subject, Protos.order(unique("test.errors.v")));

    Reply noSubject = http.get("/subjects/" + unique("nobody-") + "/versions");
    Reply noVersion = http.get("/subjects/" + subject + "/versions/7");
    Reply badVersion = http.get("/subjects/" + subject + "/versions/0");
    Reply wordVersion = http.get("/subjects/" + subject + "/versions/first");
    Reply noId = http.get("/schemas/ids/999999");

    assertThat(noSubject.status()).isEqualTo(404);
    assertThat(noSubject.errorCode()).isEqualTo(40401);
    assertThat(noSubject.message()).matches("Subject 'nobody-\\d+' not found\\.");
    assertThat(noVersion.status()).isEqualTo(404);
    assertThat(noVersion.errorCode()).isEqualTo(40402);
    assertThat(noVersion.message()).isEqualTo("Version 7 not found.");
    assertThat(badVersion.status()).isEqualTo(422);
    assertThat(badVersion.errorCode()).isEqualTo(42202);
    assertThat(wordVersion.errorCode()).isEqualTo(42202);
    assertThat(noId.status()).isEqualTo(404);
    assertThat(noId.errorCode()).isEqualTo(40403);
    assertThat(http.get("/no/such/endpoint").status()).isEqualTo(404);
    assertThat(http.send("PATCH", "/subjects", null, RegistryHttp.CONTENT_TYPE).status()).isEqualTo(405);
    assertThat(http.post("/subjects/" + subject + "/versions", "{not json").status()).isEqualTo(400);
  }

  @Test
  void compatibilityIsCheckedAgainstAVersionWithReasonsWhenVerbose() {
    String subject = unique("compat-");
    String pkg = unique("test.compat.v");
    http.registerOk(subject, Protos.order(pkg));
    http.registerOk(subject, Protos.orderWithAmount(pkg));
    String path = "/compatibility/subjects/" + subject + "/versions/latest";

    Reply adding = http.post(path, schema(Protos.orderWithAmountAndNote(pkg)));
    Reply removing = http.post(path, schema(Protos.orderWithoutId(pkg)));
    Reply removingVerbose = http.post(path + "?verbose=true", schema(Protos.orderWithoutId(pkg)));
    Reply againstV1 = http.post("/compatibility/subjects/" + subject + "/versions/1?verbose=true",
        schema(Protos.orderWithAmountAndNote(pkg)));

    assertThat(adding.json().get("is_compatible").asBoolean()).isTrue();
    assertThat(removing.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(removing.json().has("messages")).isFalse();
    assertThat(removingVerbose.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(removingVerbose.json().get("messages").toString())
        .contains("FIELD_REMOVED_NOT_RESERVED").contains("version 2");
    assertThat(againstV1.json().get("is_compatible").asBoolean()).isTrue();
    assertThat(againstV1.json().get("messages")).isEmpty();
  }

  @Test
  void compatibilityErrors() {
    String subject = unique("compat-errors-");
    http.registerOk(subject, Protos.order(unique("test.ce.v")));

    Reply emptySubjectLatest = http.post("/compatibility/subjects/" + unique("empty-") + "/versions/latest",
        schema(Protos.order("x.v1")));
    Reply missingVersion = http.post("/compatibility/subjects/" + subject + "/versions/5", schema(Protos.order("x.v1")));
    Reply invalid = http.post("/compatibility/subjects/" + subject + "/versions/latest", schema("message {"));

    assertThat(emptySubjectLatest.json().get("is_compatible").asBoolean()).isTrue();
    assertThat(missingVersion.errorCode()).isEqualTo(40402);
    assertThat(invalid.errorCode()).isEqualTo(42201);
  }

  @Test
  void anIncompatibleRegistrationIs409WithTheReasonsUnlessTheLevelAllowsIt() {
    String subject = unique("evolve-");
    String pkg = unique("test.evolve.v");
    http.registerOk(subject, Protos.orderWithAmount(pkg));

    Reply refused = http.register(subject, Protos.orderWithoutId(pkg));
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo(409);
    assertThat(refused.message())
        .startsWith("Schema being registered is incompatible with an earlier schema for subject \"" + subject + "\"")
        .contains("FIELD_REMOVED_NOT_RESERVED")
        .contains("BACKWARD");
    assertThat(ints(http.get("/subjects/" + subject + "/versions").json())).containsExactly(1);

    assertThat(http.setLevel(subject, "NONE").status()).isEqualTo(200);
    http.registerOk(subject, Protos.orderWithoutId(pkg));
    assertThat(ints(http.get("/subjects/" + subject + "/versions").json())).containsExactly(1, 2);
  }

  @ParameterizedTest
  @EnumSource(CompatibilityLevel.class)
  void addingAFieldIsCompatibleAndRemovingAnUnreservedOneBreaksAtEveryLevel(CompatibilityLevel level) {
    String subject = unique("level-" + level + "-");
    String pkg = unique("test.level.v");
    http.setLevel(subject, level.name());
    http.registerOk(subject, Protos.orderWithAmount(pkg));

    Reply adding = http.post("/compatibility/subjects/" + subject + "/versions", schema(Protos.orderWithAmountAndNote(pkg)));
    Reply removing = http.post("/compatibility/subjects/" + subject + "/versions", schema(Protos.orderWithoutId(pkg)));

    assertThat(adding.json().get("is_compatible").asBoolean()).isTrue();
    assertThat(removing.json().get("is_compatible").asBoolean()).isEqualTo(level == CompatibilityLevel.NONE);
    assertThat(http.register(subject, Protos.orderWithoutId(pkg)).status())
        .isEqualTo(level == CompatibilityLevel.NONE ? 200 : 409);
  }

  @Test
  void transitiveLevelsCompareWithEveryLiveEarlierVersion() {
    String subject = unique("transitive-");
    String pkg = unique("test.transitive.v");
    http.setLevel(subject, "NONE");
    http.registerOk(subject, Protos.orderWithAmount(pkg));
    http.registerOk(subject, Protos.orderWithoutId(pkg)); // drops field 1
    // Re-adding field 1 is an addition relative to the latest version...
    String readded = Protos.orderWithAmountAndNote(pkg).replace("string id = 1;", "bool id = 1;");

    http.setLevel(subject, "BACKWARD");
    Reply latestOnly = http.post("/compatibility/subjects/" + subject + "/versions", schema(readded));
    http.setLevel(subject, "FULL_TRANSITIVE");
    Reply transitive = http.post("/compatibility/subjects/" + subject + "/versions?verbose=true", schema(readded));

    assertThat(latestOnly.json().get("is_compatible").asBoolean()).isTrue();
    // ...but changes its type relative to version 1.
    assertThat(transitive.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(transitive.json().get("messages").toString()).contains("version 1").contains("FIELD_TYPE_CHANGED");
    assertThat(http.register(subject, readded).status()).isEqualTo(409);
  }

  @Test
  void configLevelsGlobalAndPerSubject() {
    try (SchemaRegistryServer own = startServer()) {
      RegistryHttp api = new RegistryHttp(own.url());
      String subject = "config-subject";

      assertThat(api.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
      Reply put = api.setLevel(null, "FULL");
      assertThat(put.status()).isEqualTo(200);
      assertThat(put.json().get("compatibility").asText()).isEqualTo("FULL");
      assertThat(api.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("FULL");

      Reply unset = api.get("/config/" + subject);
      assertThat(unset.errorCode()).isEqualTo(40408);
      assertThat(api.get("/config/" + subject + "?defaultToGlobal=true").json().get("compatibilityLevel").asText())
          .isEqualTo("FULL");
      assertThat(api.setLevel(subject, "forward_transitive").json().get("compatibility").asText())
          .isEqualTo("FORWARD_TRANSITIVE");
      assertThat(api.get("/config/" + subject).json().get("compatibilityLevel").asText()).isEqualTo("FORWARD_TRANSITIVE");
      assertThat(api.delete("/config/" + subject).json().get("compatibilityLevel").asText())
          .isEqualTo("FORWARD_TRANSITIVE");
      assertThat(api.get("/config/" + subject).errorCode()).isEqualTo(40408);
      assertThat(api.delete("/config/" + subject).errorCode()).isEqualTo(40408);

      Reply bad = api.setLevel(null, "SIDEWAYS");
      assertThat(bad.status()).isEqualTo(422);
      assertThat(bad.errorCode()).isEqualTo(42203);
      assertThat(bad.message()).contains("SIDEWAYS").contains("BACKWARD_TRANSITIVE");
      assertThat(api.put("/config", "{}").errorCode()).isEqualTo(42203);
      assertThat(api.delete("/config").json().get("compatibilityLevel").asText()).isEqualTo("FULL");
      assertThat(api.get("/config").json().get("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }
  }

  @Test
  void softDeleteHidesVersionsButKeepsTheIdAndReRegisteringMakesANewVersion() {
    String subject = unique("soft-");
    String pkg = unique("test.soft.v");
    int id1 = http.registerOk(subject, Protos.order(pkg));
    int id2 = http.registerOk(subject, Protos.orderWithAmount(pkg));

    Reply deleted = http.delete("/subjects/" + subject + "/versions/latest");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.body()).isEqualTo("2");
    assertThat(ints(http.get("/subjects/" + subject + "/versions").json())).containsExactly(1);
    assertThat(ints(http.get("/subjects/" + subject + "/versions?deleted=true").json())).containsExactly(1, 2);
    assertThat(http.get("/subjects/" + subject + "/versions/latest").json().get("version").asInt()).isEqualTo(1);
    assertThat(http.get("/subjects/" + subject + "/versions/2").errorCode()).isEqualTo(40402);
    assertThat(http.get("/subjects/" + subject + "/versions/2?deleted=true").json().get("id").asInt()).isEqualTo(id2);
    assertThat(http.get("/schemas/ids/" + id2).status()).isEqualTo(200);
    assertThat(http.delete("/subjects/" + subject + "/versions/2").errorCode()).isEqualTo(40406);

    // The soft-deleted schema comes back as a new version with its old id.
    assertThat(http.registerOk(subject, Protos.orderWithAmount(pkg))).isEqualTo(id2);
    assertThat(ints(http.get("/subjects/" + subject + "/versions").json())).containsExactly(1, 3);
    assertThat(id1).isNotEqualTo(id2);
  }

  @Test
  void softDeletingASubjectHidesItAndHardDeleteNeedsASoftDeleteFirst() {
    String subject = unique("hard-");
    String pkg = unique("test.hard.v");
    int id = http.registerOk(subject, Protos.order(pkg));
    http.registerOk(subject, Protos.orderWithAmount(pkg));

    Reply notSoftDeleted = http.delete("/subjects/" + subject + "?permanent=true");
    assertThat(notSoftDeleted.status()).isEqualTo(404);
    assertThat(notSoftDeleted.errorCode()).isEqualTo(40405);
    assertThat(http.delete("/subjects/" + subject + "/versions/1?permanent=true").errorCode()).isEqualTo(40407);

    Reply soft = http.delete("/subjects/" + subject);
    assertThat(ints(soft.json())).containsExactly(1, 2);
    assertThat(strings(http.get("/subjects").json())).doesNotContain(subject);
    assertThat(strings(http.get("/subjects?deleted=true").json())).contains(subject);
    assertThat(http.get("/subjects/" + subject + "/versions").errorCode()).isEqualTo(40401);
    assertThat(http.get("/schemas/ids/" + id).status()).isEqualTo(200);
    assertThat(http.delete("/subjects/" + subject).errorCode()).isEqualTo(40404);

    Reply hardOne = http.delete("/subjects/" + subject + "/versions/1?permanent=true");
    assertThat(hardOne.body()).isEqualTo("1");
    assertThat(ints(http.get("/subjects/" + subject + "/versions?deleted=true").json())).containsExactly(2);
    assertThat(http.get("/schemas/ids/" + id).errorCode()).isEqualTo(40403);
    Reply hard = http.delete("/subjects/" + subject + "?permanent=true");
    assertThat(ints(hard.json())).containsExactly(2);
    assertThat(strings(http.get("/subjects?deleted=true").json())).doesNotContain(subject);
    assertThat(http.delete("/subjects/" + subject).errorCode()).isEqualTo(40401);

    // The id stays bound to its schema: re-registering it brings the same id back at version 1.
    assertThat(http.registerOk(subject, Protos.order(pkg))).isEqualTo(id);
    assertThat(ints(http.get("/subjects/" + subject + "/versions").json())).containsExactly(1);
  }

  @Test
  void subjectsWithSlashesAndOtherContentTypesWork() {
    String subject = unique("meshlake/facsimile/v1/facsimile-") + ".proto";
    String pkg = unique("test.slash.v");
    Reply json = http.send("POST", "/subjects/" + enc(subject) + "/versions", schema(Protos.order(pkg)), "application/json");
    Reply octet = http.send("POST", "/subjects/" + enc(subject) + "/versions", schema(Protos.order(pkg)),
        "application/octet-stream");

    assertThat(json.status()).isEqualTo(200);
    assertThat(json.contentType()).isEqualTo(RegistryHttp.CONTENT_TYPE);
    assertThat(octet.json().get("id").asInt()).isEqualTo(json.json().get("id").asInt());
    assertThat(strings(http.get("/subjects").json())).contains(subject);
    assertThat(http.get("/subjects/" + enc(subject) + "/versions/1").json().get("subject").asText()).isEqualTo(subject);
  }

  @Test
  void metricsCountRegistrationsLookupsAndErrors() {
    try (SchemaRegistryServer own = startServer()) {
      RegistryHttp api = new RegistryHttp(own.url());
      int id = api.registerOk("metrics-a", Protos.order("test.metrics.v1"));
      api.registerOk("metrics-a", Protos.order("test.metrics.v1"));
      api.get("/schemas/ids/" + id);
      api.get("/subjects/metrics-a/versions/1");
      api.get("/subjects/nobody/versions/1");

      JsonNode metrics = api.get("/metrics").json();

      assertThat(metrics.get("registrations").asLong()).isEqualTo(1);
      assertThat(metrics.get("registrations_existing").asLong()).isEqualTo(1);
      assertThat(metrics.get("lookups").asLong()).isEqualTo(3);
      assertThat(metrics.get("errors").asLong()).isEqualTo(1);
      assertThat(metrics.get("errors_by_code").get("40401").asLong()).isEqualTo(1);
      assertThat(metrics.get("state").get("subjects").asLong()).isEqualTo(1);
      assertThat(own.metrics().registrations()).isEqualTo(1);
    }
  }

  @Test
  void closeIsIdempotentAndStopsServing() {
    SchemaRegistryServer own = startServer();
    RegistryHttp api = new RegistryHttp(own.url());
    assertThat(api.get("/subjects").status()).isEqualTo(200);

    own.close();
    own.close();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> api.get("/subjects"))
        .isInstanceOf(IllegalStateException.class);
  }

  static List<Integer> versionsOf(RegistryHttp api, String subject) {
    return ints(api.get("/subjects/" + enc(subject) + "/versions").json());
  }
}
