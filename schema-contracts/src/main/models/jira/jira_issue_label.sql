-- One row per label of an issue; a new issue version replaces all of its labels.
{{ config(unique_key=['issue_id', 'label_position'], parent_key='issue_id') }}
SELECT
  {{ envelope_fields() }},
  issue_id,
  label_position,
  label
FROM {{ source('jira', 'JiraIssue') }}
LATERAL VIEW POSEXPLODE(labels) exploded AS label_position, label
