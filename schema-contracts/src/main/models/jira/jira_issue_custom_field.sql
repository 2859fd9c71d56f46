-- One row per custom field value of an issue; a new issue version replaces all of them.
{{ config(unique_key=['issue_id', 'field_id'], parent_key='issue_id') }}
SELECT
  {{ envelope_fields() }},
  issue_id,
  custom_field.field_id AS field_id,
  custom_field.name AS field_name,
  custom_field.text_value AS text_value,
  custom_field.number_value AS number_value,
  custom_field.date_value AS date_value
FROM {{ source('jira', 'JiraIssue') }}
LATERAL VIEW EXPLODE(custom_fields) exploded AS custom_field
WHERE custom_field.field_id IS NOT NULL AND custom_field.field_id <> ''
