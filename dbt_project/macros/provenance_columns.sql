{#-
  The provenance columns every staging model carries, renamed from the raw landing table's
  underscored names: which file, sheet and row a record came from, and the file's period and
  revision. Use as the last item of a staging model's select list.
-#}
{% macro provenance_columns() -%}
    cast(_load_id as bigint) as load_id,
        cast(_file_path as varchar) as file_path,
        cast(_sheet as varchar) as sheet,
        cast(_row_number as integer) as row_number,
        cast(period as varchar) as period,
        cast(revision as varchar) as revision,
        cast(revision_rank as integer) as revision_rank,
        cast(_flags as varchar) as flags
{%- endmacro %}
