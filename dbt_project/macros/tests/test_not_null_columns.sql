{#-
  Every listed column of a model must be non-null: one dbt node per model, failing with a row
  per column that has NULLs (column name and count). DuckDB reads only the column each branch
  names, so the union costs what the separate tests' queries cost.

  Why not one `not_null` per column: each dbt test is a node with ~0.1 s of fixed cost, and the
  ~450 per-column tests were the largest part of a district build (issue #6).
-#}
{% test not_null_columns(model, columns) %}
    {%- for column in columns %}
        select
            '{{ column }}' as column_name,
            count(*) as null_rows
        from {{ model }}
        where {{ adapter.quote(column) }} is null
        having count(*) > 0
        {{ "union all" if not loop.last }}
    {%- endfor %}
{% endtest %}
