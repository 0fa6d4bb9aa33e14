-- Forest-fire indicators (FF_*) per grid cell: fires and damaged forest from fct_forest_fires;
-- the damage rate divides 受害森林面积 (never 过火面积) by the forest area carried forward
-- (int_forest_area, flagged); monitoring coverage uses fire_monitoring's own forest_ha;
-- inspections count per township, the district taking the smallest township value among the
-- townships whose forest_ha in that year's forest_resources is above 0.
-- A table, built once per build: as a view, every test and mart reading it recomputed it (at
-- national scale one test ran for minutes). Incremental builds rebuild it whenever its sources or
-- the ledger-reading year spine change (pipelines/assets/dbt_selection.py).

with grid as (

    select
        indicator_code,
        year,
        area_code,
        area_level
    from {{ ref('int_indicator_grid') }}
    where indicator_code in (
        'FF_DAMAGE_RATE', 'FF_MONITORING_COVERAGE', 'FF_INSPECTIONS', 'FF_FIRES', 'FF_DAMAGED_FOREST_HA'
    )

),

fires as (

    select
        year,
        township_code,
        {{ area_level_of_grouping() }} as area_level,
        {{ area_code_of_grouping() }} as area_code,
        count(*) as fires,
        sum(damaged_forest_ha) as damaged_forest_ha
    from (
        select
            cast(year(ignited_at) as integer) as year,
            township_code,
            damaged_forest_ha
        from {{ ref('fct_forest_fires') }}
    ) as f
    group by grouping sets ((year, township_code), (year))

),

monitoring as (

    select
        year,
        township_code,
        {{ area_level_of_grouping() }} as area_level,
        {{ area_code_of_grouping() }} as area_code,
        sum(monitored_forest_ha) as monitored_forest_ha,
        sum(forest_ha) as forest_ha
    from {{ ref('stg_forestry__fire_monitoring') }}
    group by grouping sets ((year, township_code), (year))

),

inspections as (

    select
        cast(year(inspected_on) as integer) as year,
        township_code,
        count(*) as inspections
    from {{ ref('stg_forestry__fire_hazard_inspections') }}
    group by cast(year(inspected_on) as integer), township_code

),

township_inspections as (

    select
        g.year,
        g.area_code as township_code,
        coalesce(i.inspections, 0) as inspections,
        coalesce(fr.forest_ha > 0, false) as has_forest
    from grid as g
    left join inspections as i on g.year = i.year and g.area_code = i.township_code
    left join {{ ref('stg_forestry__forest_resources') }} as fr
        on g.year = fr.year and g.area_code = fr.township_code
    where g.indicator_code = 'FF_INSPECTIONS' and g.area_level = 'township'

),

district_inspections as (

    select
        year,
        min(inspections) filter (where has_forest) as inspections
    from township_inspections
    group by year

),

keyed as (

    select
        g.indicator_code,
        g.year,
        g.area_code,
        g.area_level,
        f.fires,
        f.damaged_forest_ha,
        m.monitored_forest_ha,
        m.forest_ha as monitoring_forest_ha,
        fa.forest_ha,
        fa.is_carried_forward as forest_carried_forward,
        fa.townships_missing as forest_townships_missing,
        case
            when g.area_level = 'district' then di.inspections
            else ti.inspections
        end as inspections
    from grid as g
    left join fires as f
        on
            g.year = f.year and g.area_level = f.area_level
            and g.area_code = f.area_code
    left join monitoring as m
        on
            g.year = m.year and g.area_level = m.area_level
            and g.area_code = m.area_code
    left join {{ ref('int_forest_area') }} as fa on g.year = fa.year and g.area_code = fa.area_code
    left join township_inspections as ti on g.year = ti.year and g.area_code = ti.township_code
    left join district_inspections as di on g.year = di.year

)

select
    indicator_code,
    year,
    area_code,
    area_level,
    cast(case indicator_code
        when 'FF_FIRES' then coalesce(fires, 0)
        when 'FF_DAMAGED_FOREST_HA' then coalesce(damaged_forest_ha, 0)
        when 'FF_INSPECTIONS' then inspections
    end as double) as measure,
    cast(case indicator_code
        when 'FF_DAMAGE_RATE' then coalesce(damaged_forest_ha, 0)
        when 'FF_MONITORING_COVERAGE' then coalesce(monitored_forest_ha, 0)
    end as double) as numerator,
    cast(case indicator_code
        when 'FF_DAMAGE_RATE' then forest_ha
        when 'FF_MONITORING_COVERAGE' then coalesce(monitoring_forest_ha, 0)
    end as double) as denominator,
    case
        when indicator_code = 'FF_DAMAGE_RATE'
            then nullif(concat_ws(
                ',',
                case when forest_carried_forward then 'forest_area_carried_forward' end,
                case
                    when forest_townships_missing > 0 and area_level = 'township' then 'forest_area_missing'
                    when forest_townships_missing > 0
                        then 'forest_area_missing_townships=' || forest_townships_missing
                end
            ), '')
        when indicator_code = 'FF_INSPECTIONS' and area_level = 'district' and inspections is null
            then 'no_township_with_forest'
    end as flags
from keyed
