package io.meshlake.local;

import com.google.protobuf.Timestamp;
import io.meshlake.bus.EntityChange;
import io.meshlake.contracts.confluence.v1.ConfluencePage;
import io.meshlake.contracts.confluence.v1.ConfluenceSpace;
import io.meshlake.contracts.confluence.v1.PageStatus;
import io.meshlake.contracts.confluence.v1.PageVersion;
import io.meshlake.contracts.confluence.v1.SpaceType;
import io.meshlake.contracts.jira.v1.CustomFieldValue;
import io.meshlake.contracts.jira.v1.IssuePriority;
import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.jira.v1.JiraIssue;
import io.meshlake.contracts.jira.v1.JiraProject;
import io.meshlake.contracts.jira.v1.JiraUser;
import io.meshlake.contracts.jira.v1.ProjectType;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The demo's customers and their Jira and Confluence data, deterministic (fixed seed), with the
 * answers the seed's analytics query must give computed here, independently of the lake.
 */
final class DemoData {

  /** The demo workspaces and their home regions. */
  static final Map<String, String> WORKSPACES = new LinkedHashMap<>();

  static {
    WORKSPACES.put("acme", "eu");
    WORKSPACES.put("globex", "eu");
    WORKSPACES.put("initech", "us");
    WORKSPACES.put("umbrella", "us");
  }

  static final int ISSUES_PER_WORKSPACE = 120;
  static final int PAGES_PER_WORKSPACE = 12;
  /** A page body above the bus's offload threshold (900 KiB), so one page per workspace travels by pointer. */
  static final int LARGE_PAGE_BYTES = 1_200_000;
  static final LocalDate START = LocalDate.of(2025, 1, 1);

  private final List<EntityChange> changes = new ArrayList<>();
  /** workspace → month (yyyy-MM) → issues resolved that month in their final state. */
  private final Map<String, Map<String, Integer>> resolvedPerMonth = new TreeMap<>();
  /** workspace → model → rows expected in the refined table. */
  private final Map<String, Map<String, Integer>> expectedRows = new TreeMap<>();

  DemoData() {
    Random random = new Random(2026);
    for (String workspace : WORKSPACES.keySet()) {
      generate(workspace, random);
    }
  }

  List<EntityChange> changes() {
    return changes;
  }

  Map<String, Integer> resolvedPerMonth(String workspace) {
    return resolvedPerMonth.getOrDefault(workspace, Map.of());
  }

  Map<String, Integer> expectedRows(String workspace) {
    return expectedRows.getOrDefault(workspace, Map.of());
  }

  private void generate(String ws, Random random) {
    Map<String, Integer> rows = new TreeMap<>();
    List<String> projects = List.of("P1", "P2", "P3");
    for (int p = 0; p < projects.size(); p++) {
      changes.add(EntityChange.upsert(ws, JiraProject.newBuilder().setProjectId(projects.get(p)).setProjectKey("K" + (p + 1))
          .setName(ws + " project " + (p + 1)).setProjectType(ProjectType.PROJECT_TYPE_SOFTWARE).setLeadAccountId(ws + "-u1")
          .setCreatedAt(ts(START)).build(), 1));
    }
    rows.put("jira_project", projects.size());
    for (int u = 1; u <= 6; u++) {
      changes.add(EntityChange.upsert(ws, JiraUser.newBuilder().setAccountId(ws + "-u" + u).setDisplayName("User " + u + " of " + ws)
          .setEmailAddress("user" + u + "@" + ws + ".example").setTimeZone("Europe/Berlin").setIsActive(true)
          .setCreatedAt(ts(START)).build(), 1));
    }
    rows.put("jira_user", 6);

    Map<String, Integer> resolved = new TreeMap<>();
    int liveIssues = 0;
    int labels = 0;
    int customFields = 0;
    DateTimeFormatter month = DateTimeFormatter.ofPattern("yyyy-MM");
    for (int i = 1; i <= ISSUES_PER_WORKSPACE; i++) {
      String id = ws.toUpperCase() + "-" + i;
      LocalDate created = START.plusDays(random.nextInt(300));
      List<String> issueLabels = new ArrayList<>();
      for (int l = random.nextInt(3); l > 0; l--) {
        issueLabels.add(List.of("bug", "ui", "backend", "customer", "security").get(random.nextInt(5)));
      }
      JiraIssue.Builder issue = JiraIssue.newBuilder().setIssueId(id).setProjectId(projects.get(random.nextInt(3)))
          .setSummary("Issue " + i + " of " + ws).setDescription("Steps to reproduce issue " + i)
          .setStatus(IssueStatus.ISSUE_STATUS_OPEN).setPriority(IssuePriority.forNumber(1 + random.nextInt(5)))
          .setAssigneeAccountId(ws + "-u" + (1 + random.nextInt(6))).setReporterAccountId(ws + "-u1")
          .setCreatedAt(ts(created)).setUpdatedAt(ts(created)).setStoryPoints(1 + random.nextInt(8))
          .addAllLabels(issueLabels)
          .addCustomFields(CustomFieldValue.newBuilder().setFieldId("team").setName("Team").setTextValue("team-" + random.nextInt(3)));
      long version = 1;
      changes.add(EntityChange.upsert(ws, issue.build(), version));
      // Work happens: the issue moves along, and most get resolved some days or weeks later.
      issue.setStatus(IssueStatus.ISSUE_STATUS_IN_PROGRESS).setUpdatedAt(ts(created.plusDays(1)));
      changes.add(EntityChange.upsert(ws, issue.build(), ++version));
      boolean resolves = random.nextInt(10) < 7;
      LocalDate resolution = created.plusDays(2 + random.nextInt(60));
      if (resolves) {
        issue.setStatus(IssueStatus.ISSUE_STATUS_DONE).setIsResolved(true).setResolutionAt(ts(resolution))
            .setUpdatedAt(ts(resolution)).setVoteCount(random.nextInt(20));
        changes.add(EntityChange.upsert(ws, issue.build(), ++version));
      }
      if (random.nextInt(20) == 0) {
        changes.add(EntityChange.delete(ws, JiraIssue.newBuilder().setIssueId(id).build(), ++version));
        continue;
      }
      liveIssues++;
      labels += issueLabels.size();
      customFields++;
      if (resolves) {
        resolved.merge(resolution.format(month), 1, Integer::sum);
      }
    }
    rows.put("jira_issue", liveIssues);
    rows.put("jira_issue_label", labels);
    rows.put("jira_issue_custom_field", customFields);
    resolvedPerMonth.put(ws, resolved);

    changes.add(EntityChange.upsert(ws, ConfluenceSpace.newBuilder().setSpaceId(ws + "-space").setSpaceKey("DOC")
        .setName(ws + " docs").setSpaceType(SpaceType.SPACE_TYPE_GLOBAL).setCreatedAt(ts(START)).build(), 1));
    rows.put("confluence_space", 1);
    int pages = 0;
    int versions = 0;
    for (int p = 1; p <= PAGES_PER_WORKSPACE; p++) {
      boolean draft = p % 6 == 0;
      StringBuilder body = new StringBuilder("{\"type\":\"doc\",\"content\":\"");
      int size = p == 1 ? LARGE_PAGE_BYTES : 200 + random.nextInt(2000);
      while (body.length() < size) {
        body.append("lorem ipsum ");
      }
      body.append("\"}");
      ConfluencePage.Builder page = ConfluencePage.newBuilder().setPageId(ws + "-page-" + p).setSpaceId(ws + "-space")
          .setTitle("Page " + p).setBodyAdf(body.toString()).setStatus(draft ? PageStatus.PAGE_STATUS_DRAFT : PageStatus.PAGE_STATUS_CURRENT)
          .setAuthorAccountId(ws + "-u" + (1 + p % 6)).setCreatedAt(ts(START.plusDays(p))).setUpdatedAt(ts(START.plusDays(p)))
          .addHistory(PageVersion.newBuilder().setNumber(1).setAuthorAccountId(ws + "-u1").setCreatedAt(ts(START.plusDays(p))));
      changes.add(EntityChange.upsert(ws, page.build(), 1));
      if (!draft) {
        pages++;
      }
      versions++;
    }
    rows.put("confluence_page", pages);
    rows.put("confluence_page_version", versions);
    expectedRows.put(ws, rows);
  }

  static Timestamp ts(LocalDate date) {
    return Timestamp.newBuilder().setSeconds(date.atTime(9, 30).toEpochSecond(ZoneOffset.UTC)).build();
  }
}
