-- The version history of each page, one row per version.
{{ config(unique_key=['page_id', 'version_number'], parent_key='page_id') }}
SELECT
  {{ envelope_fields() }},
  page_id,
  version.number AS version_number,
  version.author_account_id AS author_account_id,
  version.created_at AS created_at
FROM {{ source('confluence', 'ConfluencePage') }}
LATERAL VIEW EXPLODE(history) exploded AS version
