/**
 * The model compiler: turns a refined table's dbt-style SQL model (rendered by
 * {@code io.meshlake.contracts.model.ModelRenderer}) into a {@link io.meshlake.sink.model.RowFunction}
 * that the sink applies to every event. Entry point: {@link io.meshlake.sink.model.ModelCompiler}.
 *
 * <h2>The SQL a streaming model may use</h2>
 *
 * One source, projections and filters; the dialect is Spark SQL's, parsed with JSqlParser.
 *
 * <pre>{@code
 * [WITH a AS (SELECT ... FROM <source> [WHERE ...]),
 *       b AS (SELECT ... FROM a ...)]               -- optional chain: each CTE reads the one before it
 * SELECT <expr> [AS name], ... | * | alias.*
 * FROM <source or last CTE> [[AS] alias]
 * [LATERAL VIEW EXPLODE(<array>) [view] AS element]             -- one child row per element
 * [LATERAL VIEW POSEXPLODE(<array>) [view] AS position, element] -- position is INT, from 0
 * [WHERE <condition>]
 * }</pre>
 *
 * <ul>
 *   <li><b>Columns</b>: the source row is the {@code envelope} struct ({@code workspace_id, workspace_ari,
 *       resource_ari, entity_type, version, generation_watermark, is_tombstone}) followed by the entity's
 *       fields, flattened from its protobuf type (nested messages are structs, repeated fields arrays, enums
 *       their value names, Timestamps TIMESTAMP; an unset message or Timestamp is NULL). Struct members are
 *       reached with dots ({@code envelope.version}, {@code custom_field.name}); the element of an exploded
 *       array of structs likewise. Names are case-insensitive; {@code `backticks`} quote them (needed for names
 *       that are SQL keywords, e.g. {@code obj.`inner`}); "double quotes" are rejected as ambiguous. A column
 *       reference without AS keeps its last name part; every other expression needs {@code AS name}.
 *   <li><b>{@code *}</b> expands to the relation's columns and then the LATERAL VIEW's; in the final SELECT
 *       it leaves out {@code envelope}, which is never a table column.
 *   <li><b>Literals</b>: {@code 'text'} ({@code ''} for a quote), integers (INT, or BIGINT when larger),
 *       decimals and exponents (DOUBLE), {@code TRUE}, {@code FALSE}, {@code NULL}, {@code DATE '2024-01-31'},
 *       {@code TIMESTAMP '2024-01-31 12:00:00'}.
 *   <li><b>Operators</b>: {@code + - * / % DIV}, unary {@code -}, {@code ||}, {@code = <> != < <= > >=},
 *       {@code AND OR NOT}, {@code IS [NOT] NULL}, {@code IS [NOT] TRUE|FALSE}, {@code [NOT] IN (...)},
 *       {@code [NOT] LIKE} (with {@code ESCAPE}), {@code ILIKE}, {@code RLIKE}, {@code [NOT] BETWEEN},
 *       {@code CASE WHEN ... THEN ... ELSE ... END} and {@code CASE x WHEN ...}.
 *   <li><b>CAST</b> ({@code CAST}, {@code TRY_CAST}) to STRING, BIGINT/LONG, INT/INTEGER, DOUBLE, FLOAT,
 *       BOOLEAN, TIMESTAMP, DATE, BINARY.
 *   <li><b>Functions</b>: COALESCE, NULLIF, IF, LOWER, UPPER, TRIM (also {@code TRIM(BOTH|LEADING|TRAILING
 *       chars FROM s)}), LTRIM, RTRIM, LENGTH, SUBSTRING/SUBSTR (1-based, Spark semantics), REPLACE, CONCAT,
 *       CONCAT_WS, SPLIT (regex, to ARRAY&lt;STRING&gt;), SIZE/CARDINALITY, ARRAY_CONTAINS, ELEMENT_AT (1-based,
 *       negative from the end), ABS, ROUND (HALF_UP), FLOOR, CEIL (to BIGINT), GREATEST, LEAST,
 *       DATE_TRUNC(unit, ts), TO_DATE, YEAR, MONTH, DAY.
 * </ul>
 *
 * <h2>Semantics</h2>
 *
 * <ul>
 *   <li>SQL three-valued logic: NULL propagates through operators and functions (except COALESCE, IF,
 *       CASE, CONCAT_WS, GREATEST/LEAST, IS ...); a WHERE that is NULL filters the row out.
 *   <li>Types: numbers widen INT &lt; BIGINT &lt; FLOAT &lt; DOUBLE; {@code /} is always DOUBLE; DATE widens
 *       to TIMESTAMP; a STRING compared with a DATE or TIMESTAMP is read as one. Strings and numbers never
 *       mix implicitly (write CAST), except that CONCAT, CONCAT_WS and {@code ||} write any primitive as
 *       text. Every output column must have an inferable type ({@code CAST(NULL AS STRING)}, not {@code NULL}).
 *   <li>Like Spark without ANSI mode, a value that cannot be computed is NULL rather than an error:
 *       division or modulo by zero, a CAST that does not convert, ELEMENT_AT out of range. Integer
 *       arithmetic wraps on overflow. SIZE of NULL is NULL. There is no DECIMAL: decimal literals are DOUBLE.
 *   <li>Timestamps are UTC (microseconds); their text form is {@code yyyy-MM-dd HH:mm:ss[.ffffff]}.
 * </ul>
 *
 * <h2>Rejected, with a message naming the model and the construct</h2>
 *
 * JOINs and more than one source, subqueries (in FROM or in expressions), GROUP BY, HAVING, aggregate
 * and window functions, DISTINCT, ORDER BY, LIMIT, UNION/INTERSECT/EXCEPT, more than one LATERAL VIEW,
 * LATERAL VIEW OUTER, non-deterministic functions (NOW, RAND, UUID, ...), unknown columns (the message
 * lists the available ones), unknown functions, duplicate or unnamed output columns, type errors
 * ({@code UPPER(42)}), keys that are not output columns, and a model whose shape does not fit its writer
 * (a LATERAL VIEW in a Merge model, none in a MergeExploded one).
 */
package io.meshlake.sink.model;
