package io.meshlake.query;

import io.meshlake.table.delta.DeltaTable;
import io.meshlake.table.delta.NewFile;
import io.meshlake.table.delta.TableFile;
import io.meshlake.table.parquet.DataFileWriter;
import io.meshlake.table.schema.ColumnType;
import io.meshlake.table.schema.TableSchema;
import io.meshlake.table.storage.LocalTableStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Refined tables on disk, written with lake-table as the sink writes them (partitioned by
 * workspace_id, envelope columns first), with rows the tests know.
 */
final class LakeFixture {

  static final ColumnType.Primitive S = ColumnType.Primitive.STRING;
  static final ColumnType.Primitive L = ColumnType.Primitive.LONG;
  static final ColumnType.Primitive I = ColumnType.Primitive.INT;
  static final ColumnType.Primitive TS = ColumnType.Primitive.TIMESTAMP;
  static final ColumnType.Primitive B = ColumnType.Primitive.BOOLEAN;

  static final TableSchema JIRA_ISSUE = schema(
      f("workspace_id", S), f("resource_ari", S), f("_version", L), f("_generation_watermark", L),
      f("issue_id", S), f("project_id", S), f("summary", S), f("description", S), f("status", S), f("priority", S),
      f("assignee_account_id", S), f("reporter_account_id", S), f("created_at", TS), f("updated_at", TS),
      f("resolution_at", TS), f("story_points", I), f("labels", new ColumnType.Array(S)), f("vote_count", I),
      f("is_resolved", B));

  static final TableSchema JIRA_PROJECT = schema(
      f("workspace_id", S), f("resource_ari", S), f("_version", L), f("_generation_watermark", L),
      f("project_id", S), f("project_key", S), f("project_name", S), f("project_type", S), f("lead_account_id", S),
      f("created_at", TS), f("is_archived", B));

  static final TableSchema JIRA_USER = schema(
      f("workspace_id", S), f("resource_ari", S), f("_version", L), f("_generation_watermark", L),
      f("account_id", S), f("display_name", S), f("time_zone", S), f("is_active", B), f("created_at", TS));

  /** An issue as the tests reason about it. */
  record Issue(String workspace, String issueId, String projectId, String assignee, Instant resolutionAt) {}

  final Path root;
  final LocalTableStore store;

  LakeFixture(Path root) {
    this.root = root;
    this.store = new LocalTableStore(root);
  }

  DeltaTable table(String name, TableSchema schema) {
    return DeltaTable.openOrCreate(store, name, schema, List.of("workspace_id"), DeltaTable.defaultProperties(10));
  }

  /** Writes the rows (table-schema order, workspace_id first) as one file of the workspace and commits it. */
  TableFile write(String name, TableSchema schema, String workspace, List<Object[]> rows) {
    return replace(name, schema, workspace, rows, List.of());
  }

  /** Commits a new file of the workspace and removes {@code removed} in the same commit. */
  TableFile replace(String name, TableSchema schema, String workspace, List<Object[]> rows, List<TableFile> removed) {
    DeltaTable table = table(name, schema);
    String relative = "workspace_id=" + workspace + "/part-0-" + UUID.randomUUID() + ".snappy.parquet";
    try (DataFileWriter writer = new DataFileWriter(store, table.path(), relative, table.fileSchema(), CompressionCodecName.SNAPPY, 8 << 20)) {
      for (Object[] row : rows) {
        if (!workspace.equals(row[0])) {
          throw new IllegalArgumentException("row of " + row[0] + " written to " + workspace);
        }
        Object[] fileRow = new Object[row.length - 1];
        System.arraycopy(row, 1, fileRow, 0, fileRow.length);
        writer.write(fileRow);
      }
      writer.close();
      DeltaTable.Committed committed = table.commit(table.latest(),
          DeltaTable.Changes.of(List.of(new NewFile(writer.result(), Map.of("workspace_id", workspace), Map.of())), removed),
          Optional.empty(), 0, Map.of());
      return committed.added().get(0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (io.delta.kernel.exceptions.ConcurrentWriteException e) {
      throw new IllegalStateException(e);
    }
  }

  static Object[] issueRow(Issue issue, int seed) {
    return new Object[] {
        issue.workspace(), "ari:cloud:jira:" + issue.workspace() + ":issue/" + issue.issueId(), 1L, 0L,
        issue.issueId(), issue.projectId(), "summary " + seed, "description " + seed, issue.resolutionAt() == null ? "OPEN" : "DONE",
        "MEDIUM", issue.assignee(), "reporter-" + (seed % 3), micros(Instant.parse("2021-01-01T00:00:00Z").plusSeconds(seed * 3600L)),
        null, issue.resolutionAt() == null ? null : micros(issue.resolutionAt()), seed % 8, List.of("l" + (seed % 2)), seed % 5,
        issue.resolutionAt() != null};
  }

  static Object[] projectRow(String workspace, String projectId, String name) {
    return new Object[] {workspace, "ari:cloud:jira:" + workspace + ":project/" + projectId, 1L, 0L, projectId, projectId + "-KEY",
        name, "SOFTWARE", "lead-1", micros(Instant.parse("2020-06-01T00:00:00Z")), false};
  }

  static Object[] userRow(String workspace, String accountId) {
    return new Object[] {workspace, "ari:cloud:jira:" + workspace + ":user/" + accountId, 1L, 0L, accountId, "User " + accountId,
        "Europe/Berlin", true, micros(Instant.parse("2020-01-01T00:00:00Z"))};
  }

  /**
   * Issues of a workspace, deterministic per seed: resolution dates spread over 2021-2022 (some
   * unresolved, some exactly on month boundaries), three projects, four assignees.
   */
  static List<Issue> issues(String workspace, int count, long seed) {
    Random random = new Random(seed);
    List<Issue> issues = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Instant resolved = null;
      int pick = random.nextInt(10);
      if (pick == 0) {
        resolved = Instant.parse("2022-03-01T00:00:00Z"); // the first instant of a month
      } else if (pick == 1) {
        resolved = Instant.parse("2022-02-28T23:59:59.999999Z"); // the last of the month before
      } else if (pick > 2) {
        resolved = Instant.parse("2021-01-01T00:00:00Z").plusSeconds(random.nextInt(730 * 24) * 3600L + random.nextInt(3600));
      }
      issues.add(new Issue(workspace, workspace + "-I-" + i, "P" + (1 + random.nextInt(3)), "acct-" + random.nextInt(4), resolved));
    }
    return issues;
  }

  /** Two workspaces' issues and projects: acme (projects P1, P2) and globex (P1-P3). Returns acme's issues. */
  List<Issue> twoWorkspaces(int acmeIssues, int globexIssues) {
    List<Issue> acme = issues("acme", acmeIssues, 21);
    writeIssues(acme);
    writeIssues(issues("globex", globexIssues, 22));
    write("jira_project", JIRA_PROJECT, "acme", List.<Object[]>of(projectRow("acme", "P1", "Alpha"), projectRow("acme", "P2", "Beta")));
    write("jira_project", JIRA_PROJECT, "globex", List.<Object[]>of(projectRow("globex", "P1", "G1"), projectRow("globex", "P2", "G2"),
        projectRow("globex", "P3", "G3")));
    return acme;
  }

  TableFile writeIssues(List<Issue> issues) {
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < issues.size(); i++) {
      rows.add(issueRow(issues.get(i), i));
    }
    return write("jira_issue", JIRA_ISSUE, issues.get(0).workspace(), rows);
  }

  static long micros(Instant instant) {
    return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
  }

  private static TableSchema schema(ColumnType.Field... fields) {
    return new TableSchema(List.of(fields));
  }

  private static ColumnType.Field f(String name, ColumnType type) {
    return new ColumnType.Field(name, type);
  }
}
