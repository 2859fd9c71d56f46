package io.meshlake.contracts.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.manifest.ModelRef;
import io.meshlake.contracts.manifest.WriterType;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelRendererTest {

  private final ModelRenderer renderer = new ModelRenderer();

  @Test
  void everyShippedModelRendersFromItsEntitysOwnSource() {
    EntityCatalog catalog = EntityCatalog.load();
    for (EntityManifest entity : catalog.entities()) {
      for (ModelRef model : entity.models()) {
        RenderedModel rendered = renderer.render(model.name(), catalog.modelSql(model.name()));
        assertThat(rendered.source()).as(model.name())
            .isEqualTo(new ModelRenderer.SourceRef(entity.domain(), entity.messageName()));
        assertThat(rendered.sql()).as(model.name()).doesNotContain("{{", "}}", "{%")
            .contains("envelope.workspace_id AS workspace_id");
        assertThat(rendered.uniqueKey()).as(model.name()).isNotEmpty();
        if (model.writer() == WriterType.MERGE_EXPLODED) {
          assertThat(rendered.parentKey()).as(model.name() + " declares its parent key").isNotEmpty();
        }
      }
    }
  }

  @Test
  void configKeysAreCaptured() {
    RenderedModel model = renderer.render("m", """
        {{ config(unique_key=['issue_id', 'label_position'], parent_key='issue_id') }}
        SELECT {{ envelope_fields() }}, issue_id FROM {{ source('jira', 'JiraIssue') }}
        """);
    assertThat(model.uniqueKey()).containsExactly("issue_id", "label_position");
    assertThat(model.parentKey()).containsExactly("issue_id");
    assertThat(model.sql()).startsWith("SELECT envelope.workspace_id AS workspace_id, envelope.resource_ari AS resource_ari")
        .endsWith("FROM __source__jira__JiraIssue");
  }

  @Test
  void aModelReadingTwoSourcesIsRejected() {
    assertThatThrownBy(() -> renderer.render("joined", """
        {{ config(unique_key='issue_id') }}
        SELECT i.issue_id FROM {{ source('jira', 'JiraIssue') }} i JOIN {{ source('jira', 'JiraProject') }} p ON i.project_id = p.project_id
        """))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("model 'joined' must read exactly one {{ source(...) }}, found 2");
    assertThatThrownBy(() -> renderer.render("nosource", "SELECT 1"))
        .hasMessageContaining("found 0");
  }

  @Test
  void anUnknownMacroFailsWithTheModelName() {
    assertThatThrownBy(() -> renderer.render("typo", "SELECT {{ envelope_fieldz() }} FROM {{ source('jira', 'JiraIssue') }}"))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("model 'typo'");
  }

  @Test
  void modelsWithoutAKeyAreReported() {
    RenderedModel model = renderer.render("nokey", "SELECT issue_id FROM {{ source('jira', 'JiraIssue') }}");
    assertThatThrownBy(model::uniqueKey).hasMessageContaining("model 'nokey' has no config(unique_key=...)");
    assertThat(model.parentKey()).isEqualTo(List.of());
  }
}
