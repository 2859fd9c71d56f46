package io.meshlake.sink.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.meshlake.contracts.ContractTypes;
import io.meshlake.contracts.confluence.v1.ConfluencePage;
import io.meshlake.contracts.confluence.v1.PageStatus;
import io.meshlake.contracts.confluence.v1.PageVersion;
import io.meshlake.contracts.jira.v1.CustomFieldValue;
import io.meshlake.contracts.jira.v1.IssuePriority;
import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.manifest.EntityCatalog;
import io.meshlake.contracts.manifest.EntityManifest;
import io.meshlake.contracts.manifest.ModelRef;
import io.meshlake.contracts.manifest.WriterType;
import io.meshlake.contracts.model.ModelException;
import io.meshlake.contracts.model.ModelRenderer;
import io.meshlake.contracts.model.RenderedModel;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.ColumnType.Primitive;
import io.meshlake.sink.schema.ProtobufFlattener;
import io.meshlake.sink.schema.SourceRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every model shipped in schema-contracts, compiled against its real entity and applied to realistic events. */
class ShippedModelsTest {

  static final EntityCatalog CATALOG = EntityCatalog.load();
  static final ModelCompiler COMPILER = new ModelCompiler();

  static final long CREATED = 1_700_000_000L;
  static final long UPDATED = 1_700_086_400L;

  static Stream<String> shippedModels() {
    return CATALOG.entities().stream().flatMap(e -> e.models().stream()).map(ModelRef::name);
  }

  @ParameterizedTest
  @MethodSource("shippedModels")
  void everyShippedModelCompilesAgainstItsEntityAndFitsItsWriter(String name) {
    EntityManifest entity = CATALOG.byModel(name).orElseThrow();
    CompiledModel model = COMPILER.compile(CATALOG, name);

    assertThat(model.name()).isEqualTo(name);
    assertThat(model.schema().names()).startsWith("workspace_id", "resource_ari", "_version", "_generation_watermark");
    assertThat(model.schema().type("_version")).isEqualTo(Primitive.LONG);
    assertThat(model.schema().names()).containsAll(model.uniqueKey()).doesNotContain("envelope");
    assertThat(model.exploding()).isEqualTo(CATALOG.model(name).orElseThrow().writer() == WriterType.MERGE_EXPLODED);
    assertThat(model.source().entity()).isEqualTo(entity.messageName());

    // the same through the explicit API: render, flatten the descriptor, compile
    RenderedModel rendered = new ModelRenderer().render(name, CATALOG.modelSql(name));
    ColumnType.Struct source = SourceRow.schema(new ProtobufFlattener(ContractTypes.descriptor(entity.entity()).orElseThrow()).struct());
    assertThat(COMPILER.compile(rendered, source).schema()).isEqualTo(model.schema());
  }

  static Object[] envelope(String resource, long version) {
    return SourceRow.envelope("ws-1", "ari:cloud:platform::workspace/ws-1", resource, 1, version, 3L, false);
  }

  static Object[] row(Message entity, String resource, long version) {
    return SourceRow.row(envelope(resource, version), new ProtobufFlattener(entity.getDescriptorForType()).flatten(entity));
  }

  static List<Object[]> apply(CompiledModel model, Object[] source) {
    List<Object[]> out = new ArrayList<>();
    model.rowFunction().apply(source, out::add);
    return out;
  }

  static Timestamp ts(long seconds, int nanos) {
    return Timestamp.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  static JiraIssue issue() {
    return JiraIssue.newBuilder()
        .setIssueId("10042").setProjectId("10000").setSummary("Checkout fails for EUR carts").setDescription("Steps: ...")
        .setStatus(IssueStatus.ISSUE_STATUS_IN_PROGRESS).setPriority(IssuePriority.ISSUE_PRIORITY_HIGH)
        .setAssigneeAccountId("acc-7").setReporterAccountId("acc-3")
        .setCreatedAt(ts(CREATED, 0)).setUpdatedAt(ts(UPDATED, 123_456_789))
        .setStoryPoints(5).addLabels("payments").addLabels("eu").setVoteCount(2).setIsResolved(false)
        .addCustomFields(CustomFieldValue.newBuilder().setFieldId("cf-1").setName("Team").setTextValue("Payments"))
        .addCustomFields(CustomFieldValue.newBuilder().setFieldId("cf-2").setName("Estimate").setNumberValue(3.5))
        .addCustomFields(CustomFieldValue.newBuilder().setFieldId("").setName("Broken"))
        .addCustomFields(CustomFieldValue.newBuilder().setFieldId("cf-3").setName("Due").setDateValue(ts(UPDATED, 0)))
        .build();
  }

  @Test
  void jiraIssueProjectsOneRowWithEnumNamesShortenedAndTimestampsInMicros() {
    CompiledModel model = COMPILER.compile(CATALOG, "jira_issue");
    assertThat(model.schema().names()).containsExactly("workspace_id", "resource_ari", "_version", "_generation_watermark",
        "issue_id", "project_id", "summary", "description", "status", "priority", "assignee_account_id",
        "reporter_account_id", "created_at", "updated_at", "resolution_at", "story_points", "labels", "vote_count",
        "is_resolved");
    assertThat(model.schema().type("created_at")).isEqualTo(Primitive.TIMESTAMP);
    assertThat(model.schema().type("labels")).isEqualTo(new ColumnType.Array(Primitive.STRING));
    assertThat(model.uniqueKey()).containsExactly("issue_id");
    assertThat(model.parentKey()).isEmpty();

    List<Object[]> rows = apply(model, row(issue(), "ari:cloud:jira:ws-1:issue/10042", 7));

    assertThat(rows).hasSize(1);
    assertThat(rows.get(0)).containsExactly("ws-1", "ari:cloud:jira:ws-1:issue/10042", 7L, 3L,
        "10042", "10000", "Checkout fails for EUR carts", "Steps: ...", "IN_PROGRESS", "HIGH", "acc-7", "acc-3",
        CREATED * 1_000_000L, UPDATED * 1_000_000L + 123_456L, null, 5, List.of("payments", "eu"), 2, false);
  }

  @Test
  void jiraIssueWithDefaultsKeepsEmptyArraysAndUnsetTimestampsAsNull() {
    CompiledModel model = COMPILER.compile(CATALOG, "jira_issue");
    JiraIssue bare = JiraIssue.newBuilder().setIssueId("1").build();

    Object[] row = apply(model, row(bare, "ari:cloud:jira:ws-1:issue/1", 1)).get(0);

    assertThat(row[model.schema().indexOf("status")]).isEqualTo("UNSPECIFIED");
    assertThat(row[model.schema().indexOf("created_at")]).isNull();
    assertThat(row[model.schema().indexOf("labels")]).isEqualTo(List.of());
    assertThat(row[model.schema().indexOf("summary")]).isEqualTo("");
    assertThat(row[model.schema().indexOf("story_points")]).isEqualTo(0);
  }

  @Test
  void jiraIssueLabelExplodesWithPositionsAndYieldsNothingForAnEmptyArray() {
    CompiledModel model = COMPILER.compile(CATALOG, "jira_issue_label");
    assertThat(model.schema().names()).containsExactly("workspace_id", "resource_ari", "_version", "_generation_watermark",
        "issue_id", "label_position", "label");
    assertThat(model.schema().type("label_position")).isEqualTo(Primitive.INT);
    assertThat(model.uniqueKey()).containsExactly("issue_id", "label_position");
    assertThat(model.parentKey()).containsExactly("issue_id");
    assertThat(model.uniqueKeyIndexes()).containsExactly(4, 5);
    assertThat(model.parentKeyIndexes()).containsExactly(4);

    List<Object[]> rows = apply(model, row(issue(), "ari:cloud:jira:ws-1:issue/10042", 7));

    assertThat(rows).extracting(r -> Arrays.asList(r).subList(4, 7))
        .containsExactly(List.of("10042", 0, "payments"), List.of("10042", 1, "eu"));
    assertThat(rows.get(0)).startsWith("ws-1", "ari:cloud:jira:ws-1:issue/10042", 7L, 3L);
    assertThat(apply(model, row(issue().toBuilder().clearLabels().build(), "ari:cloud:jira:ws-1:issue/10042", 8))).isEmpty();
  }

  @Test
  void jiraIssueCustomFieldExplodesStructsFiltersBlankIdsAndReadsOneofValues() {
    CompiledModel model = COMPILER.compile(CATALOG, "jira_issue_custom_field");
    assertThat(model.schema().names()).containsExactly("workspace_id", "resource_ari", "_version", "_generation_watermark",
        "issue_id", "field_id", "field_name", "text_value", "number_value", "date_value");
    assertThat(model.schema().type("number_value")).isEqualTo(Primitive.DOUBLE);
    assertThat(model.schema().type("date_value")).isEqualTo(Primitive.TIMESTAMP);

    List<Object[]> rows = apply(model, row(issue(), "ari:cloud:jira:ws-1:issue/10042", 7));

    assertThat(rows).extracting(r -> Arrays.asList(r).subList(4, 10)).containsExactly(
        Arrays.asList("10042", "cf-1", "Team", "Payments", null, null),
        Arrays.asList("10042", "cf-2", "Estimate", null, 3.5, null),
        Arrays.asList("10042", "cf-3", "Due", null, null, UPDATED * 1_000_000L));
  }

  static final String BODY = "{\"type\":\"doc\",\"text\":\"launch \uD83D\uDE80\"}";

  static ConfluencePage page(PageStatus status) {
    return ConfluencePage.newBuilder()
        .setPageId("p-1").setSpaceId("s-1").setTitle("Runbook").setBodyAdf(BODY)
        .setStatus(status).setAuthorAccountId("acc-1").setCreatedAt(ts(CREATED, 0))
        .addHistory(PageVersion.newBuilder().setNumber(1).setAuthorAccountId("acc-1").setCreatedAt(ts(CREATED, 0)))
        .addHistory(PageVersion.newBuilder().setNumber(2).setAuthorAccountId("acc-2"))
        .addLabels("ops")
        .build();
  }

  @Test
  void confluencePageKeepsCurrentPagesAndFiltersDrafts() {
    CompiledModel model = COMPILER.compile(CATALOG, "confluence_page");
    assertThat(model.schema().type("body_length")).isEqualTo(Primitive.INT);

    List<Object[]> current = apply(model, row(page(PageStatus.PAGE_STATUS_CURRENT), "ari:cloud:confluence:ws-1:page/p-1", 4));
    assertThat(current).hasSize(1);
    Object[] row = current.get(0);
    assertThat(row[model.schema().indexOf("status")]).isEqualTo("CURRENT");
    // LENGTH counts characters (code points), not UTF-16 units
    assertThat(row[model.schema().indexOf("body_length")]).isEqualTo(BODY.length() - 1);
    assertThat(row[model.schema().indexOf("parent_page_id")]).isEqualTo("");
    assertThat(row[model.schema().indexOf("updated_at")]).isNull();
    assertThat(row[model.schema().indexOf("labels")]).isEqualTo(List.of("ops"));

    // a page that went back to draft yields no row: the Merge writer deletes its key
    assertThat(apply(model, row(page(PageStatus.PAGE_STATUS_DRAFT), "ari:cloud:confluence:ws-1:page/p-1", 5))).isEmpty();
    assertThat(apply(model, row(page(PageStatus.PAGE_STATUS_ARCHIVED), "ari:cloud:confluence:ws-1:page/p-1", 6))).hasSize(1);
  }

  @Test
  void confluencePageVersionExplodesHistoryStructs() {
    CompiledModel model = COMPILER.compile(CATALOG, "confluence_page_version");

    List<Object[]> rows = apply(model, row(page(PageStatus.PAGE_STATUS_CURRENT), "ari:cloud:confluence:ws-1:page/p-1", 4));

    assertThat(rows).extracting(r -> Arrays.asList(r).subList(4, 8)).containsExactly(
        Arrays.asList("p-1", 1, "acc-1", CREATED * 1_000_000L),
        Arrays.asList("p-1", 2, "acc-2", null));
    assertThat(apply(model, row(page(PageStatus.PAGE_STATUS_CURRENT).toBuilder().clearHistory().build(), "r", 5))).isEmpty();
  }

  @Test
  void aShippedModelCompiledForTheWrongWriterIsRejected() {
    EntityManifest entity = CATALOG.byModel("jira_issue_label").orElseThrow();
    RenderedModel rendered = new ModelRenderer().render("jira_issue_label", CATALOG.modelSql("jira_issue_label"));
    ColumnType.Struct source = SourceRow.schema(new ProtobufFlattener(ContractTypes.descriptor(entity.entity()).orElseThrow()).struct());

    assertThatThrownBy(() -> COMPILER.compile(rendered, source, WriterType.MERGE))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("model 'jira_issue_label'")
        .hasMessageContaining("cannot have a LATERAL VIEW");

    RenderedModel issue = new ModelRenderer().render("jira_issue", CATALOG.modelSql("jira_issue"));
    assertThatThrownBy(() -> COMPILER.compile(issue, source, WriterType.MERGE_EXPLODED))
        .isInstanceOf(ModelException.class)
        .hasMessageContaining("needs a LATERAL VIEW");
  }
}
