package io.meshlake.bench;

import com.google.protobuf.Timestamp;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.table.schema.TableSchema;
import java.util.List;

/**
 * A 64-bit digest of the content a refined {@code jira_issue} row must have, computed either from the
 * event's payload (what the oracle expects) or from a row read back from the table (what is there). Two
 * equal digests mean the row carries the winning event's fields, not just its version. It mirrors the
 * model {@code jira_issue.sql}: enum names lose their {@code ISSUE_STATUS_} / {@code ISSUE_PRIORITY_}
 * prefix, timestamps are microseconds, an unset timestamp is null.
 */
final class IssueFingerprint {

  private static final long NULL = 0x6A09E667F3BCC909L;
  private static final long FNV_PRIME = 0x100000001B3L;

  private long h = 0xCBF29CE484222325L;
  private int field;

  private IssueFingerprint() {}

  /** The digest of the row the model makes of this payload in this workspace. */
  static long expected(String workspace, JiraIssue issue) {
    IssueFingerprint f = new IssueFingerprint();
    f.string(workspace).string(issue.getIssueId()).string(issue.getProjectId()).string(issue.getSummary())
        .string(issue.getDescription())
        .string(issue.getStatus().name().replace("ISSUE_STATUS_", ""))
        .string(issue.getPriority().name().replace("ISSUE_PRIORITY_", ""))
        .string(issue.getAssigneeAccountId()).string(issue.getReporterAccountId())
        .micros(issue.hasCreatedAt() ? micros(issue.getCreatedAt()) : null)
        .micros(issue.hasUpdatedAt() ? micros(issue.getUpdatedAt()) : null)
        .micros(issue.hasResolutionAt() ? micros(issue.getResolutionAt()) : null)
        .number(issue.getStoryPoints());
    f.labels(issue.getLabelsList());
    f.number(issue.getVoteCount()).number(issue.getIsResolved() ? 1 : 0);
    return f.h;
  }

  /** Column positions of a refined jira_issue table, resolved once per scan. */
  record Columns(int workspace, int issueId, int projectId, int summary, int description, int status, int priority,
      int assignee, int reporter, int createdAt, int updatedAt, int resolutionAt, int storyPoints, int labels,
      int voteCount, int isResolved) {

    static Columns of(TableSchema schema) {
      return new Columns(schema.require("workspace_id"), schema.require("issue_id"), schema.require("project_id"),
          schema.require("summary"), schema.require("description"), schema.require("status"), schema.require("priority"),
          schema.require("assignee_account_id"), schema.require("reporter_account_id"), schema.require("created_at"),
          schema.require("updated_at"), schema.require("resolution_at"), schema.require("story_points"),
          schema.require("labels"), schema.require("vote_count"), schema.require("is_resolved"));
    }
  }

  /** The digest of a row as read from the refined table. */
  static long actual(Object[] row, Columns c) {
    IssueFingerprint f = new IssueFingerprint();
    f.string((String) row[c.workspace()]).string((String) row[c.issueId()]).string((String) row[c.projectId()])
        .string((String) row[c.summary()]).string((String) row[c.description()]).string((String) row[c.status()])
        .string((String) row[c.priority()]).string((String) row[c.assignee()]).string((String) row[c.reporter()])
        .micros((Long) row[c.createdAt()]).micros((Long) row[c.updatedAt()]).micros((Long) row[c.resolutionAt()])
        .number(row[c.storyPoints()] == null ? null : ((Number) row[c.storyPoints()]).longValue());
    @SuppressWarnings("unchecked")
    List<Object> labels = (List<Object>) row[c.labels()];
    f.labels(labels);
    f.number(row[c.voteCount()] == null ? null : ((Number) row[c.voteCount()]).longValue());
    Boolean resolved = (Boolean) row[c.isResolved()];
    f.number(resolved == null ? null : resolved ? 1L : 0L);
    return f.h;
  }

  static long micros(Timestamp t) {
    return t.getSeconds() * 1_000_000L + t.getNanos() / 1_000;
  }

  private IssueFingerprint next() {
    h = SplitMix64.mix(h + (++field));
    return this;
  }

  private IssueFingerprint string(String s) {
    next();
    if (s == null) {
      h ^= NULL;
      return this;
    }
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * FNV_PRIME;
    }
    h = (h ^ s.length()) * FNV_PRIME;
    return this;
  }

  private IssueFingerprint micros(Long value) {
    return number(value);
  }

  private IssueFingerprint number(Long value) {
    next();
    h ^= value == null ? NULL : SplitMix64.mix(value);
    return this;
  }

  private IssueFingerprint number(long value) {
    return number(Long.valueOf(value));
  }

  /** Labels in order; no labels and a null list are the same (Parquet may not tell them apart). */
  private void labels(List<?> labels) {
    int n = labels == null ? 0 : labels.size();
    number(n);
    for (int i = 0; i < n; i++) {
      string((String) labels.get(i));
    }
  }
}
