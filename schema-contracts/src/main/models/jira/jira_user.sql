-- Users of a site. Email addresses are not exposed to analytics.
{{ config(unique_key='account_id') }}
SELECT
  {{ envelope_fields() }},
  account_id,
  display_name,
  time_zone,
  is_active,
  created_at
FROM {{ source('jira', 'JiraUser') }}
