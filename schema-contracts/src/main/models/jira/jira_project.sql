-- Current state of every Jira project; archived projects stay, flagged.
{{ config(unique_key='project_id') }}
SELECT
  {{ envelope_fields() }},
  project_id,
  project_key,
  name AS project_name,
  REPLACE(project_type, 'PROJECT_TYPE_', '') AS project_type,
  lead_account_id,
  created_at,
  is_archived
FROM {{ source('jira', 'JiraProject') }}
