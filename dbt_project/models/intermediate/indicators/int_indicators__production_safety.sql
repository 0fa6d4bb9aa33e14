-- Production-safety indicators (PS_*) per grid cell, from fct_accidents (the four accident
-- datasets de-duplicated; grade computed): counts and sums are 0 over no rows; the district is
-- the sum over all accidents; deaths per 亿元 GDP uses the latest GDP vintage.
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
    where indicator_code in ('PS_DEATHS', 'PS_MAJOR_ACCIDENTS', 'PS_ACCIDENTS', 'PS_DEATHS_PER_100M_GDP')

),

accidents as (

    select
        cast(year(occurred_at) as integer) as year,
        township_code,
        deaths,
        grade in {{ indicator_filter('PS_MAJOR_ACCIDENTS', 'grade') }} as is_major
    from {{ ref('fct_accidents') }}

),

aggregated as (

    select
        year,
        township_code,
        {{ area_level_of_grouping() }} as area_level,
        count(*) as accidents,
        count(*) filter (where is_major) as major_accidents,
        sum(deaths) as deaths
    from accidents
    group by grouping sets ((year, township_code), (year))

),

by_area as (

    select
        a.year,
        a.area_level,
        case when a.area_level = 'district' then d.district_code else a.township_code end as area_code,
        a.accidents,
        a.major_accidents,
        a.deaths
    from aggregated as a
    cross join {{ ref('deployment') }} as d

),

gdp as (

    select
        year,
        gdp_current
    from {{ ref('int_gdp') }}

)

select
    g.indicator_code,
    g.year,
    g.area_code,
    g.area_level,
    cast(case g.indicator_code
        when 'PS_DEATHS' then coalesce(b.deaths, 0)
        when 'PS_MAJOR_ACCIDENTS' then coalesce(b.major_accidents, 0)
        when 'PS_ACCIDENTS' then coalesce(b.accidents, 0)
    end as double) as measure,
    cast(case
        when g.indicator_code = 'PS_DEATHS_PER_100M_GDP' then coalesce(b.deaths, 0)
    end as double) as numerator,
    cast(case
        when g.indicator_code = 'PS_DEATHS_PER_100M_GDP' then gdp.gdp_current
    end as double) as denominator,
    cast(null as varchar) as flags
from grid as g
left join by_area as b
    on g.year = b.year and g.area_level = b.area_level and g.area_code = b.area_code
left join gdp on g.year = gdp.year
