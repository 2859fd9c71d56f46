package io.meshlake.contracts.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class EntityCatalogTest {

  @Test
  void theShippedCatalogLoadsAndIndexesEveryEntity() {
    EntityCatalog catalog = EntityCatalog.load();
    assertThat(catalog.entities()).extracting(EntityManifest::entity).containsExactly(
        "meshlake.jira.v1.JiraIssue", "meshlake.jira.v1.JiraProject", "meshlake.jira.v1.JiraUser",
        "meshlake.confluence.v1.ConfluencePage", "meshlake.confluence.v1.ConfluenceSpace");
    EntityManifest issue = catalog.byEntityType(1).orElseThrow();
    assertThat(issue.domain()).isEqualTo("jira");
    assertThat(issue.ingressTopic()).isEqualTo("facsimile.jira");
    assertThat(issue.primaryKey()).isEqualTo("issue_id");
    assertThat(issue.models()).containsExactly(
        new ModelRef("jira_issue", WriterType.MERGE),
        new ModelRef("jira_issue_label", WriterType.MERGE_EXPLODED),
        new ModelRef("jira_issue_custom_field", WriterType.MERGE_EXPLODED));
    assertThat(catalog.byModel("confluence_page_version")).map(EntityManifest::entity).contains("meshlake.confluence.v1.ConfluencePage");
    assertThat(catalog.domains()).containsExactly("jira", "confluence");
    assertThat(catalog.modelSql("jira_issue")).contains("source('jira', 'JiraIssue')");
  }

  @Test
  void everyManifestOnDiskIsInTheCatalog() throws IOException {
    Path root = Path.of("src/main/proto");
    List<String> onDisk;
    try (Stream<Path> files = Files.walk(root)) {
      onDisk = files.filter(p -> p.toString().endsWith(".manifest.yaml"))
          .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
    }
    List<String> listed = EntityCatalog.load().entities().stream().map(EntityManifest::source).sorted().toList();
    assertThat(listed).isEqualTo(onDisk);
  }

  @Test
  void aReusedEntityTypeIsRejected() {
    EntityManifest issue = ManifestParser.parse("a.yaml", """
        entity: meshlake.jira.v1.JiraIssue
        entity_type: 1
        domain: jira
        owner: t
        status: ACTIVE
        primary_key: issue_id
        models: []
        """);
    EntityManifest project = ManifestParser.parse("b.yaml", """
        entity: meshlake.jira.v1.JiraProject
        entity_type: 1
        domain: jira
        owner: t
        status: ACTIVE
        primary_key: project_id
        models: []
        """);
    assertThatThrownBy(() -> EntityCatalog.of(List.of(issue, project)))
        .isInstanceOf(ManifestException.class)
        .hasMessageContaining("b.yaml: entity_type 1 is already used by meshlake.jira.v1.JiraIssue");
  }

  @Test
  void badManifestsNameTheFieldAndTheFix() {
    String valid = """
        entity: meshlake.jira.v1.JiraIssue
        entity_type: 1
        domain: jira
        owner: t
        status: ACTIVE
        primary_key: issue_id
        models:
          - name: jira_issue
            writer: Merge
        """;
    assertThat(ManifestParser.parse("ok.yaml", valid).models()).hasSize(1);
    assertThatThrownBy(() -> ManifestParser.parse("x.yaml", valid.replace("writer: Merge", "writer: Upsert")))
        .hasMessageContaining("x.yaml: model 'jira_issue': unknown writer type 'Upsert'; expected one of Append, Merge, MergeExploded");
    assertThatThrownBy(() -> ManifestParser.parse("x.yaml", valid.replace("status: ACTIVE", "status: RETIRED")))
        .hasMessageContaining("status 'RETIRED' must be ACTIVE or DEPRECATED");
    assertThatThrownBy(() -> ManifestParser.parse("x.yaml", valid.replace("entity_type: 1", "entity_type: -3")))
        .hasMessageContaining("entity_type must be a positive integer");
    assertThatThrownBy(() -> ManifestParser.parse("x.yaml", valid.replace("owner: t\n", "")))
        .hasMessageContaining("'owner' is required");
    assertThatThrownBy(() -> ManifestParser.parse("x.yaml", valid + "colour: blue\n"))
        .hasMessageContaining("unknown field 'colour'");
    assertThatThrownBy(() -> ManifestParser.parse("x.yaml", valid.replace("entity: meshlake.jira.v1.JiraIssue", "entity: JiraIssue")))
        .hasMessageContaining("fully qualified message name");
    assertThatThrownBy(() -> EntityCatalog.of(List.of(ManifestParser.parse("x.yaml", valid.replace("primary_key: issue_id", "primary_key: labels")))))
        .hasMessageContaining("primary_key 'labels' must be a singular scalar field");
    assertThatThrownBy(() -> EntityCatalog.of(List.of(ManifestParser.parse("x.yaml", valid.replace("name: jira_issue", "name: jira_nothing")))))
        .hasMessageContaining("model 'jira_nothing' has no SQL file models/jira/jira_nothing.sql");
    assertThatThrownBy(() -> EntityCatalog.of(List.of(ManifestParser.parse("x.yaml", valid.replace("meshlake.jira.v1.JiraIssue", "meshlake.jira.v1.JiraEpic")))))
        .hasMessageContaining("is not a message of the compiled contracts");
  }
}
