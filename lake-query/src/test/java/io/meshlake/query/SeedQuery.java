package io.meshlake.query;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed's "Issues resolved per month" query (seeds/001, "Issues resolved from JSW DL Test"),
 * exactly as written there — the PDF's line numbers and line wraps removed — and the same answer
 * computed in Java from the rows the test wrote.
 */
final class SeedQuery {

  /** The query with its UI placeholders ({CALENDAR.START} ...) still in it. */
  static final String TEMPLATE = """
      SELECT DATE_FORMAT(`Jira Issue`.`resolution_at`, 'yyyy-MM') AS `Month of Resolution At`,
      COUNT(DISTINCT `Jira Issue`.`issue_id`) AS `Issues resolved`
      FROM `{WORKSPACE}`.`jira_issue` AS `Jira Issue`
      INNER JOIN `{WORKSPACE}`.`jira_project` AS `Jira Project` ON `Jira Issue`.`project_id` = `Jira Project`.`project_id`
      WHERE (`Jira Issue`.`resolution_at` >= TIMESTAMP({CALENDAR.START}))
      AND `Jira Issue`.`resolution_at` < (TIMESTAMP({CALENDAR.END}) +
      INTERVAL 1 DAY)
      AND {PROJECT_NAME.IN(`Jira Project`.`project_id`)}
      AND {ASSIGNEE.IN(`Jira Issue`.`assignee_account_id`)}
      GROUP BY DATE_FORMAT(`Jira Issue`.`resolution_at`, 'yyyy-MM')
      ORDER BY COUNT(DISTINCT `Jira Issue`.`issue_id`) ASC, DATE_FORMAT(`Jira
      Issue`.`resolution_at`, 'yyyy-MM') ASC
      LIMIT 100000;
      """.replace("`Jira\nIssue`", "`Jira Issue`");

  /** The placeholders as named parameters: :start, :end, :projects, :assignees. */
  static String withParameters(String workspace) {
    return TEMPLATE.replace("{WORKSPACE}", workspace)
        .replace("{CALENDAR.START}", ":start")
        .replace("{CALENDAR.END}", ":end")
        .replace("{PROJECT_NAME.IN(`Jira Project`.`project_id`)}", "`Jira Project`.`project_id` IN (:projects)")
        .replace("{ASSIGNEE.IN(`Jira Issue`.`assignee_account_id`)}", "`Jira Issue`.`assignee_account_id` IN (:assignees)");
  }

  /** The placeholders as literals, the way the UI would expand them. */
  static String withLiterals(String workspace, String start, String end, Collection<String> projects, Collection<String> assignees) {
    return TEMPLATE.replace("{WORKSPACE}", workspace)
        .replace("{CALENDAR.START}", "'" + start + "'")
        .replace("{CALENDAR.END}", "'" + end + "'")
        .replace("{PROJECT_NAME.IN(`Jira Project`.`project_id`)}", "`Jira Project`.`project_id` IN (" + quoted(projects) + ")")
        .replace("{ASSIGNEE.IN(`Jira Issue`.`assignee_account_id`)}", "`Jira Issue`.`assignee_account_id` IN (" + quoted(assignees) + ")");
  }

  /** [month, count] rows in the query's order, from the issues and projects the test wrote. */
  static List<List<Object>> expected(List<LakeFixture.Issue> issues, Set<String> projectsOfWorkspace, LocalDate start, LocalDate end,
      Collection<String> projects, Collection<String> assignees) {
    Instant from = start.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = end.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    DateTimeFormatter month = DateTimeFormatter.ofPattern("yyyy-MM").withZone(ZoneOffset.UTC);
    Map<String, Set<String>> byMonth = new HashMap<>();
    for (LakeFixture.Issue issue : issues) {
      Instant at = issue.resolutionAt();
      if (at != null && !at.isBefore(from) && at.isBefore(to) && projectsOfWorkspace.contains(issue.projectId())
          && projects.contains(issue.projectId()) && assignees.contains(issue.assignee())) {
        byMonth.computeIfAbsent(month.format(at), m -> new HashSet<>()).add(issue.issueId());
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    byMonth.forEach((m, ids) -> rows.add(List.of(m, (long) ids.size())));
    rows.sort(Comparator.<List<Object>, Long>comparing(r -> (Long) r.get(1)).thenComparing(r -> (String) r.get(0)));
    return rows;
  }

  private static String quoted(Collection<String> values) {
    return String.join(", ", values.stream().map(v -> "'" + v.replace("'", "''") + "'").toList());
  }

  private SeedQuery() {}
}
