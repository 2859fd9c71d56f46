-- Current state of every Jira issue, one row per issue, for analytics and exports.
{{ config(unique_key='issue_id') }}
SELECT
  {{ envelope_fields() }},
  issue_id,
  project_id,
  summary,
  description,
  REPLACE(status, 'ISSUE_STATUS_', '') AS status,
  REPLACE(priority, 'ISSUE_PRIORITY_', '') AS priority,
  assignee_account_id,
  reporter_account_id,
  created_at,
  updated_at,
  resolution_at,
  story_points,
  labels,
  vote_count,
  is_resolved
FROM {{ source('jira', 'JiraIssue') }}
