package io.meshlake.registry;

import static io.meshlake.registry.RegistryHttp.enc;
import static io.meshlake.registry.RegistryHttp.schema;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshlake.contracts.compat.CompatCorpus;
import io.meshlake.contracts.compat.CompatibilityRule;
import io.meshlake.contracts.compat.ProtoSchemaSet;
import io.meshlake.registry.RegistryHttp.Reply;
import io.meshlake.testkit.KafkaClusterExtension;
import io.meshlake.testkit.KafkaTestCluster;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every case of schema-contracts' compatibility corpus through the registry: the {@code before}
 * files are registered (each import as its own subject, the main file with references to them),
 * the {@code after} imports are registered as new versions of their subjects, and
 * {@code POST /compatibility/.../versions/latest?verbose=true} is asked about the {@code after}
 * main file. Its verdict and the rules named in its messages must be the corpus's.
 *
 * <p>A registry holds .proto files only: entity manifests, and so the ENTITY_* rules, are outside
 * its view; for the few cases with manifests the expectation is the .proto part of the verdict.
 */
class CompatibilityCorpusTest {

  @RegisterExtension
  static final KafkaClusterExtension KAFKA = new KafkaClusterExtension();

  private static SchemaRegistryServer server;
  private static RegistryHttp http;

  @BeforeAll
  static void startRegistry() {
    server = SchemaRegistryServer.start(RegistryConfig.builder()
        .bootstrapServers(KAFKA.bootstrapServers())
        .topic(KafkaTestCluster.uniqueTopic("_schemas"))
        .listenHost("127.0.0.1")
        .listenPort(0)
        .build());
    http = new RegistryHttp(server.url());
  }

  @AfterAll
  static void stopRegistry() {
    if (server != null) {
      server.close();
    }
  }

  static List<CompatCorpus.Case> cases() {
    return CompatCorpus.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void theRegistryClassifiesTheCaseAsTheCorpusDoes(CompatCorpus.Case c) {
    String prefix = c.name() + "/";
    String mainSubject = prefix + "main";
    List<SchemaReference> beforeRefs = registerImports(prefix, c.before(), c.mainFile(), false);
    http.registerOk(mainSubject, c.before().text(c.mainFile()), beforeRefs.toArray(SchemaReference[]::new));
    List<SchemaReference> afterRefs = registerImports(prefix, c.after(), c.mainFile(), true);

    Reply reply = http.post("/compatibility/subjects/" + enc(mainSubject) + "/versions/latest?verbose=true",
        schema(c.after().text(c.mainFile()), afterRefs.toArray(SchemaReference[]::new)));

    Set<String> expectedRules = c.expectedRules().stream()
        .map(CompatibilityRule::name)
        .filter(rule -> !rule.startsWith("ENTITY_"))
        .collect(Collectors.toCollection(TreeSet::new));
    boolean expectedCompatible = expectedRules.size() == c.expectedRules().size()
        ? c.expectedCompatible()
        : expectedRules.isEmpty();
    assertThat(expectedCompatible).as("corpus consistency").isEqualTo(expectedRules.isEmpty());
    assertThat(reply.status()).as("%s: %s", c.name(), reply).isEqualTo(200);
    JsonNode messages = reply.json().get("messages");
    assertThat(reply.json().get("is_compatible").asBoolean()).as("%s: %s", c.description(), messages)
        .isEqualTo(expectedCompatible);
    assertThat(rulesIn(messages)).as("%s: %s", c.description(), messages).isEqualTo(expectedRules);
  }

  /**
   * Registers every file the main file imports (transitively), imports first, each under subject
   * {@code prefix + path} with references to its own imports; returns the main file's references.
   * On the {@code after} side the import subjects accept anything (level NONE): the verdict under
   * test is the main subject's, which compares the whole set, imports included.
   */
  private static List<SchemaReference> registerImports(String prefix, ProtoSchemaSet set, String main, boolean after) {
    Map<String, Integer> versions = new LinkedHashMap<>();
    for (String file : importOrder(set, main)) {
      String subject = prefix + file;
      if (after) {
        http.setLevel(subject, "NONE");
      }
      http.registerOk(subject, set.text(file), references(prefix, set, file, versions).toArray(SchemaReference[]::new));
      Reply found = http.post("/subjects/" + enc(subject), schema(set.text(file),
          references(prefix, set, file, versions).toArray(SchemaReference[]::new)));
      versions.put(file, found.json().get("version").asInt());
    }
    return references(prefix, set, main, versions);
  }

  private static List<SchemaReference> references(String prefix, ProtoSchemaSet set, String file,
      Map<String, Integer> versions) {
    List<SchemaReference> refs = new ArrayList<>();
    for (String imported : imports(set, file)) {
      refs.add(new SchemaReference(imported, prefix + imported, versions.get(imported)));
    }
    return refs;
  }

  /** The files of the set that {@code file} imports (well-known types need no reference). */
  private static List<String> imports(ProtoSchemaSet set, String file) {
    List<String> imports = new ArrayList<>(set.element(file).getImports());
    imports.addAll(set.element(file).getPublicImports());
    return imports.stream().filter(set::contains).distinct().toList();
  }

  /** The files reachable from {@code main} through imports, each after the files it imports. */
  private static List<String> importOrder(ProtoSchemaSet set, String main) {
    List<String> order = new ArrayList<>();
    for (String imported : imports(set, main)) {
      visit(set, imported, order);
    }
    return order;
  }

  private static void visit(ProtoSchemaSet set, String file, List<String> order) {
    if (order.contains(file)) {
      return;
    }
    for (String imported : imports(set, file)) {
      visit(set, imported, order);
    }
    order.add(file);
  }

  /** The rule names in messages like {@code "version 1: FIELD_TYPE_CHANGED main.proto: ..."}. */
  private static Set<String> rulesIn(JsonNode messages) {
    Set<String> rules = new TreeSet<>();
    for (JsonNode message : messages) {
      String text = message.asText();
      String afterVersion = text.substring(text.indexOf(": ") + 2);
      rules.add(afterVersion.substring(0, afterVersion.indexOf(' ')));
    }
    return rules;
  }
}
