package io.meshlake.bench;

import com.google.protobuf.Timestamp;
import io.meshlake.contracts.jira.v1.IssuePriority;
import io.meshlake.contracts.jira.v1.IssueStatus;
import io.meshlake.contracts.jira.v1.JiraIssue;

/**
 * The JiraIssue payloads of the standard workload: the fields of WORKLOAD.md with their ranges. An
 * issue's identity (project, reporter, summary, creation time) is a function of its number, so nothing
 * per entity is stored; every version draws its changing fields (description, status, priority,
 * assignee, labels, points, votes, resolution) from the caller's generator.
 */
final class IssueFactory {

  /** 2025-01-01T00:00:00Z: event i of the workload happens i seconds after it. */
  static final long BASE_EPOCH_SECOND = 1_735_689_600L;

  private static final String[] WORDS = (
      "the a an of to in for on with from by at after before when while login page button error timeout cache "
          + "index query report export import sync webhook token session user admin project board sprint backlog "
          + "release deploy build pipeline test flaky crash memory leak slow search filter dashboard widget chart "
          + "permission role group workspace billing invoice payment email notification mobile android ios browser "
          + "safari chrome firefox api endpoint rate limit retry queue worker schema migration database replica "
          + "region latency spike alert monitor log audit customer ticket escalation regression hotfix rollback "
          + "feature flag config setting upload attachment image preview comment mention link issue epic story").split(" ");
  private static final String[] LABELS = {
      "backend", "frontend", "mobile", "api", "performance", "security", "ux", "customer-reported", "regression",
      "tech-debt", "infra", "billing", "search", "onboarding", "accessibility", "i18n", "data", "reliability",
      "observability", "compliance", "needs-triage", "good-first-issue", "blocked-external", "design", "docs",
      "migration", "flaky-test", "hotfix", "q3-goal", "platform"};
  private static final IssueStatus[] OPEN_STATUSES = {
      IssueStatus.ISSUE_STATUS_OPEN, IssueStatus.ISSUE_STATUS_IN_PROGRESS, IssueStatus.ISSUE_STATUS_IN_REVIEW,
      IssueStatus.ISSUE_STATUS_BLOCKED};
  private static final IssueStatus[] RESOLVED_STATUSES = {IssueStatus.ISSUE_STATUS_DONE, IssueStatus.ISSUE_STATUS_CLOSED};
  private static final IssuePriority[] PRIORITIES = {
      IssuePriority.ISSUE_PRIORITY_LOWEST, IssuePriority.ISSUE_PRIORITY_LOW, IssuePriority.ISSUE_PRIORITY_MEDIUM,
      IssuePriority.ISSUE_PRIORITY_HIGH, IssuePriority.ISSUE_PRIORITY_HIGHEST};
  private static final int[] STORY_POINTS = {0, 1, 2, 3, 5, 8, 13};
  /** ~40% of versions are resolved, so resolution_at is null for ~60%. */
  static final double RESOLVED_SHARE = 0.40;
  static final double UNASSIGNED_SHARE = 0.15;
  private static final int ACCOUNTS = 1_000;
  private static final int PROJECTS_PER_WORKSPACE = 20;

  private final long seed;
  private final String[] accounts = new String[ACCOUNTS];

  IssueFactory(long seed) {
    this.seed = seed;
    SplitMix64 rng = new SplitMix64(SplitMix64.mix(seed ^ 0xACC0L));
    for (int i = 0; i < ACCOUNTS; i++) {
      accounts[i] = String.format("%016x%08x", rng.nextLong(), rng.nextLong() >>> 32);
    }
  }

  /**
   * The version of issue {@code issueId} written by event {@code eventIndex}; {@code createdIndex} is the
   * event that created it.
   */
  JiraIssue issue(String issueId, long issueNumber, int workspaceRank, long createdIndex, long eventIndex, SplitMix64 rng) {
    SplitMix64 identity = new SplitMix64(SplitMix64.mix(seed * 31 + issueNumber));
    String projectId = Integer.toString(10_000 + workspaceRank * 100 + identity.nextInt(PROJECTS_PER_WORKSPACE));
    String reporter = accounts[identity.nextInt(ACCOUNTS)];
    String summary = text(identity, 40 + identity.nextInt(81));
    boolean resolved = rng.nextDouble() < RESOLVED_SHARE;
    Timestamp updatedAt = at(eventIndex);
    JiraIssue.Builder b = JiraIssue.newBuilder()
        .setIssueId(issueId)
        .setProjectId(projectId)
        .setSummary(summary)
        .setDescription(text(rng, 200 + rng.nextInt(201)))
        .setStatus(resolved ? RESOLVED_STATUSES[rng.nextInt(RESOLVED_STATUSES.length)] : OPEN_STATUSES[rng.nextInt(OPEN_STATUSES.length)])
        .setPriority(PRIORITIES[rng.nextInt(PRIORITIES.length)])
        .setAssigneeAccountId(rng.nextDouble() < UNASSIGNED_SHARE ? "" : accounts[rng.nextInt(ACCOUNTS)])
        .setReporterAccountId(reporter)
        .setCreatedAt(at(createdIndex))
        .setUpdatedAt(updatedAt)
        .setStoryPoints(STORY_POINTS[rng.nextInt(STORY_POINTS.length)])
        .setVoteCount(rng.nextInt(1 + rng.nextInt(50)))
        .setIsResolved(resolved);
    if (resolved) {
      b.setResolutionAt(updatedAt);
    }
    int labels = rng.nextInt(5);
    int used = 0;
    for (int i = 0; i < labels; i++) {
      int pick = rng.nextInt(LABELS.length);
      if ((used & (1 << pick)) == 0) {
        used |= 1 << pick;
        b.addLabels(LABELS[pick]);
      }
    }
    return b.build();
  }

  /** The payload of a tombstone: the key only. */
  static JiraIssue key(String issueId) {
    return JiraIssue.newBuilder().setIssueId(issueId).build();
  }

  /** When event {@code eventIndex} happened: one second per event, with a millisecond part. */
  static Timestamp at(long eventIndex) {
    int millis = (int) Long.remainderUnsigned(SplitMix64.mix(eventIndex), 1000);
    return Timestamp.newBuilder().setSeconds(BASE_EPOCH_SECOND + eventIndex).setNanos(millis * 1_000_000).build();
  }

  /** Words from the vocabulary, cut to exactly {@code length} characters, not ending in a blank. */
  private static String text(SplitMix64 rng, int length) {
    StringBuilder sb = new StringBuilder(length + 16);
    while (sb.length() < length) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      String word = WORDS[rng.nextInt(WORDS.length)];
      sb.append(sb.length() == 0 ? Character.toUpperCase(word.charAt(0)) + word.substring(1) : word);
    }
    sb.setLength(length);
    if (sb.charAt(length - 1) == ' ') {
      sb.setCharAt(length - 1, '.');
    }
    return sb.toString();
  }
}
