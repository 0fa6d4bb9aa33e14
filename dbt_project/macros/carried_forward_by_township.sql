{#-
  For every in-scope township valid in a year (int_township_years), the value of `value_column`
  from the latest year up to that year in `relation` (township_code, year, value_column), flagged
  when carried forward from an earlier year; plus one district row per year whose value is the
  sum over the townships that have a figure (townships_missing counts those that have none).
  Columns: year, area_code, area_level, <value_column>, source_year, is_carried_forward,
  townships_missing.
-#}
{% macro carried_forward_by_township(relation, value_column) -%}
with township_years as (

    select
        year,
        township_code
    from {{ ref('int_township_years') }}

),

figures as (

    select
        township_code,
        year as source_year,
        {{ value_column }}
    from {{ relation }}
    where {{ value_column }} is not null

),

matched as (

    select
        ty.year,
        ty.township_code,
        f.source_year,
        f.{{ value_column }},
        row_number() over (
            partition by ty.year, ty.township_code
            order by f.source_year desc nulls last
        ) as figure_rank
    from township_years as ty
    left join figures as f
        on ty.township_code = f.township_code and f.source_year <= ty.year

),

township_rows as (

    select
        year,
        township_code as area_code,
        'township' as area_level,
        {{ value_column }},
        source_year,
        coalesce(source_year < year, false) as is_carried_forward,
        case when source_year is null then 1 else 0 end as townships_missing
    from matched
    where figure_rank = 1

),

district_rows as (

    select
        t.year,
        d.district_code as area_code,
        'district' as area_level,
        sum(t.{{ value_column }}) as {{ value_column }},
        max(t.source_year) as source_year,
        bool_or(t.is_carried_forward) as is_carried_forward,
        sum(t.townships_missing) as townships_missing
    from township_rows as t
    cross join {{ ref('deployment') }} as d
    group by t.year, d.district_code

)

select * from township_rows
union all
select * from district_rows
{%- endmacro %}
