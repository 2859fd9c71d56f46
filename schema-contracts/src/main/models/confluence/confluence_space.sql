-- Current state of every space.
{{ config(unique_key='space_id') }}
SELECT
  {{ envelope_fields() }},
  space_id,
  space_key,
  name AS space_name,
  REPLACE(space_type, 'SPACE_TYPE_', '') AS space_type,
  homepage_id,
  created_at
FROM {{ source('confluence', 'ConfluenceSpace') }}
