-- One row per indicator, year and area (the grid): the value in the catalog's unit, unrounded.
-- marts.indicator_values stores these rows sorted; the sort is kept apart from these joins so
-- that DuckDB can spill it (joins and sort of 7 million rows together ran out of memory).
-- Empty versus undefined (glossary): a count or sum over no rows is 0 when the required datasets
-- have a loaded file for the year; a ratio whose denominator is 0 is NULL; when a required
-- dataset has no loaded file for the year, the value (and its terms) is NULL.
with grid as (

    select
        indicator_code,
        year,
        area_code,
        area_level,
        inputs_loaded,
        missing_inputs
    from {{ ref('int_indicator_grid') }}

),

families as (

    {% for family in [
        'int_indicators__production_safety',
        'int_indicators__natural_disasters',
        'int_indicators__forest_fire',
        'int_indicators__monitoring',
        'int_indicators__capacity',
        'int_indicators__mines',
    ] -%}
        select
            indicator_code,
            year,
            area_code,
            measure,
            numerator,
            denominator,
            flags
        from {{ ref(family) }}
        {% if not loop.last %}
            union all
        {% endif %}
    {%- endfor %}

),

formulas as (

    select
        indicator_code,
        value_kind,
        scale,
        denominator_factor
    from {{ ref('indicator_formulas') }}

),

catalog as (

    select
        indicator_code,
        name_zh,
        unit
    from {{ ref('indicator_catalog') }}

),

cells as (

    select
        g.indicator_code,
        g.year,
        g.area_code,
        g.area_level,
        g.inputs_loaded,
        g.missing_inputs,
        f.value_kind,
        f.scale,
        f.value_kind in ('ratio', 'mean') as is_ratio,
        fam.measure,
        fam.numerator,
        fam.denominator * f.denominator_factor as denominator,
        fam.flags,
        c.name_zh,
        c.unit
    from grid as g
    inner join formulas as f on g.indicator_code = f.indicator_code
    inner join catalog as c on g.indicator_code = c.indicator_code
    left join families as fam
        on g.indicator_code = fam.indicator_code and g.year = fam.year and g.area_code = fam.area_code

)

select
    indicator_code,
    cast(year as integer) as year,
    cast(area_code as varchar) as area_code,
    cast(case
        when not inputs_loaded then null
        when is_ratio then numerator * scale / nullif(denominator, 0)
        else measure
    end as double) as value,
    cast(case when inputs_loaded and is_ratio then numerator end as double) as numerator,
    cast(case when inputs_loaded and is_ratio then denominator end as double) as denominator,
    nullif(concat_ws(
        ',',
        case when not inputs_loaded then 'missing_input=' || missing_inputs end,
        case when inputs_loaded and is_ratio and denominator = 0 then 'denominator_zero' end,
        case when inputs_loaded then flags end
    ), '') as flags,
    area_level,
    unit,
    name_zh,
    value_kind,
    inputs_loaded
from cells
