{#-
  The values of one filter of an indicator (seed indicator_filters), as a subquery usable after IN:
      where warning_type in {{ indicator_filter('CONVECTIVE_WARNING_LEAD_MIN', 'warning_type') }}
  Category values and thresholds live in the seed, not in SQL.
-#}
{% macro indicator_filter(indicator_code, field) -%}
(
    select f.value
    from {{ ref('indicator_filters') }} as f
    where f.indicator_code = '{{ indicator_code }}' and f.field = '{{ field }}'
)
{%- endmacro %}

{#- The single numeric threshold of an indicator filter (e.g. min_capacity), as a scalar subquery. -#}
{% macro indicator_threshold(indicator_code, field) -%}
(
    select max(cast(f.value as double))
    from {{ ref('indicator_filters') }} as f
    where f.indicator_code = '{{ indicator_code }}' and f.field = '{{ field }}'
)
{%- endmacro %}

{#-
  Area rows of a grouping-sets aggregate: `grouping(township_code) = 1` is the district total.
  Use in a select over a query grouped by grouping sets ((year, township_code), (year)).
-#}
{% macro area_level_of_grouping(township_column='township_code') -%}
    case when grouping({{ township_column }}) = 1 then 'district' else 'township' end
{%- endmacro %}

{#-
  The area code of a grouping-sets aggregate row: the deployment's district code for the district
  total, the township code otherwise. Joining the indicator grid on it is an equality join; a
  CASE inside the join condition made DuckDB compare every grid cell with every township row
  of the year (minutes at 40,000 townships).
-#}
{% macro area_code_of_grouping(township_column='township_code') -%}
    case when grouping({{ township_column }}) = 1 then (select dep.district_code from {{ ref('deployment') }} as dep) else {{ township_column }} end
{%- endmacro %}
