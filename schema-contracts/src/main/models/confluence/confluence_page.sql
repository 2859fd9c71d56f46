-- Current pages; drafts are not analytics data.
{{ config(unique_key='page_id') }}
SELECT
  {{ envelope_fields() }},
  page_id,
  space_id,
  title,
  REPLACE(status, 'PAGE_STATUS_', '') AS status,
  author_account_id,
  parent_page_id,
  created_at,
  updated_at,
  LENGTH(body_adf) AS body_length,
  labels
FROM {{ source('confluence', 'ConfluencePage') }}
WHERE status <> 'PAGE_STATUS_DRAFT'
