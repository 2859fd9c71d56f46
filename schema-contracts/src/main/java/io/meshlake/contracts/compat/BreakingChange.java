package io.meshlake.contracts.compat;

import java.util.Objects;

/**
 * One breaking change between two versions of the contracts.
 *
 * @param rule the rule it breaks
 * @param file the import path of the .proto file (or the path of the manifest, for entity rules)
 * @param typeName the fully-qualified message or enum (the entity's message for entity rules), or
 *     null for file-level changes
 * @param memberName the field or enum value concerned, or null when the change is not about one
 * @param description a human sentence that starts with the file, e.g. {@code
 *     meshlake/jira/v1/issue.proto: message meshlake.jira.v1.JiraIssue field 5 'status': type changed
 *     from IssueStatus to string}
 */
public record BreakingChange(
    CompatibilityRule rule, String file, String typeName, String memberName, String description) {

  public BreakingChange {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(description, "description");
  }

  /** The line the CLI prints: the rule, then the description. */
  public String toLine() {
    return rule + " " + description;
  }

  @Override
  public String toString() {
    return toLine();
  }
}
