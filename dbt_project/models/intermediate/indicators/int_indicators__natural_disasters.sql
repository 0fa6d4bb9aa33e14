-- Natural-disaster indicators (ND_*) per grid cell, from fct_disaster_events (every
-- disaster-event dataset, one row per event and township): sums are 0 over no rows; per-capita
-- rates divide by the resident population of the year (carried forward, flagged; the district
-- is the sum of the townships); the loss share divides by the latest GDP vintage.
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
        'ND_LOSS_GDP_PCT', 'ND_DEATHS_PER_MILLION', 'ND_AFFECTED_PER_100K', 'ND_DEATHS_MISSING_PER_100K',
        'ND_DEATHS', 'ND_AFFECTED_PERSON_TIMES', 'ND_DIRECT_LOSS'
    )

),

events as (

    select
        cast(year(started_on) as integer) as year,
        township_code,
        affected_person_times,
        deaths,
        missing,
        direct_loss
    from {{ ref('fct_disaster_events') }}

),

aggregated as (

    select
        year,
        township_code,
        {{ area_level_of_grouping() }} as area_level,
        coalesce(sum(affected_person_times), 0) as affected_person_times,
        coalesce(sum(deaths), 0) as deaths,
        coalesce(sum(missing), 0) as missing,
        coalesce(sum(direct_loss), 0) as direct_loss
    from events
    group by grouping sets ((year, township_code), (year))

),

by_area as (

    select
        a.year,
        a.area_level,
        case when a.area_level = 'district' then d.district_code else a.township_code end as area_code,
        a.affected_person_times,
        a.deaths,
        a.missing,
        a.direct_loss
    from aggregated as a
    cross join {{ ref('deployment') }} as d

),

population as (

    select
        year,
        area_code,
        resident_population,
        is_carried_forward,
        townships_missing
    from {{ ref('int_population') }}

),

gdp as (

    select
        year,
        gdp_current
    from {{ ref('int_gdp') }}

),

cells as (

    select
        g.indicator_code,
        g.year,
        g.area_code,
        g.area_level,
        coalesce(b.affected_person_times, 0) as affected_person_times,
        coalesce(b.deaths, 0) as deaths,
        coalesce(b.missing, 0) as missing,
        coalesce(b.direct_loss, 0) as direct_loss,
        p.resident_population,
        p.is_carried_forward as population_carried_forward,
        p.townships_missing as population_townships_missing,
        gdp.gdp_current,
        g.indicator_code in ('ND_DEATHS_PER_MILLION', 'ND_AFFECTED_PER_100K', 'ND_DEATHS_MISSING_PER_100K')
            as is_per_capita
    from grid as g
    left join by_area as b
        on g.year = b.year and g.area_level = b.area_level and g.area_code = b.area_code
    left join population as p on g.year = p.year and g.area_code = p.area_code
    left join gdp on g.year = gdp.year

)

select
    indicator_code,
    year,
    area_code,
    area_level,
    cast(case indicator_code
        when 'ND_DEATHS' then deaths
        when 'ND_AFFECTED_PERSON_TIMES' then affected_person_times
        when 'ND_DIRECT_LOSS' then direct_loss
    end as double) as measure,
    cast(case indicator_code
        when 'ND_LOSS_GDP_PCT' then direct_loss
        when 'ND_DEATHS_PER_MILLION' then deaths
        when 'ND_AFFECTED_PER_100K' then affected_person_times
        when 'ND_DEATHS_MISSING_PER_100K' then deaths + missing
    end as double) as numerator,
    cast(case
        when indicator_code = 'ND_LOSS_GDP_PCT' then gdp_current
        when is_per_capita then resident_population
    end as double) as denominator,
    case
        when is_per_capita
            then nullif(concat_ws(
                ',',
                case when population_carried_forward then 'population_carried_forward' end,
                case
                    when population_townships_missing > 0 and area_level = 'township' then 'population_missing'
                    when population_townships_missing > 0
                        then 'population_missing_townships=' || population_townships_missing
                end
            ), '')
    end as flags
from cells
