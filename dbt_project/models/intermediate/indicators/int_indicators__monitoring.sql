-- Monitoring and warning indicators per grid cell: geohazard sites under mass monitoring and
-- with a drill in the year (registered 在册 sites only; a blank drills cell is not >= 1; a
-- 地灾点 drill naming the site counts), small/medium river warning coverage, the mean lead time
-- of severe convective warnings whose weather occurred strictly after issue, and the detection
-- rate of sudden meteorological events. Category values come from indicator_filters.
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
        'GEO_MONITORING_COVERAGE', 'GEO_DRILL_COVERAGE', 'RIVER_WARNING_COVERAGE',
        'CONVECTIVE_WARNING_LEAD_MIN', 'SUDDEN_WEATHER_MONITORING_RATE'
    )

),

site_drills as (

    select distinct
        year,
        site_id
    from {{ ref('stg_emergency__drills') }}
    where level in {{ indicator_filter('GEO_DRILL_COVERAGE', 'drill_level') }} and site_id is not null

),

sites as (

    select
        s.year,
        s.township_code,
        s.status in {{ indicator_filter('GEO_MONITORING_COVERAGE', 'site_status') }} as counts_for_monitoring,
        s.status in {{ indicator_filter('GEO_DRILL_COVERAGE', 'site_status') }} as counts_for_drills,
        coalesce(s.mass_monitored, false) as is_mass_monitored,
        coalesce(s.drills >= 1, false) or sd.site_id is not null as is_drilled
    from {{ ref('stg_natural_resources__geohazard_sites') }} as s
    left join site_drills as sd on s.year = sd.year and s.site_id = sd.site_id

),

site_counts as (

    select
        year,
        township_code,
        {{ area_level_of_grouping() }} as area_level,
        {{ area_code_of_grouping() }} as area_code,
        count(*) filter (where counts_for_monitoring) as monitoring_sites,
        count(*) filter (where counts_for_monitoring and is_mass_monitored) as mass_monitored_sites,
        count(*) filter (where counts_for_drills) as drill_sites,
        count(*) filter (where counts_for_drills and is_drilled) as drilled_sites
    from sites
    group by grouping sets ((year, township_code), (year))

),

rivers as (

    select
        year,
        count(*) as rivers,
        count(*) filter (where warning_covered) as covered_rivers
    from {{ ref('stg_water__river_warning_coverage') }}
    group by year

),

convective as (

    select
        year,
        count(*) as warnings,
        sum(date_diff('second', issued_at, onset_at) / 60.0) as lead_minutes
    from {{ ref('stg_meteorology__weather_warnings') }}
    where
        warning_type in {{ indicator_filter('CONVECTIVE_WARNING_LEAD_MIN', 'warning_type') }}
        and onset_at > issued_at
    group by year

),

sudden as (

    select
        year,
        count(*) as events,
        count(*) filter (where detected) as detected_events
    from {{ ref('stg_meteorology__sudden_event_monitoring') }}
    group by year

),

keyed as (

    select
        g.indicator_code,
        g.year,
        g.area_code,
        g.area_level,
        sc.monitoring_sites,
        sc.mass_monitored_sites,
        sc.drill_sites,
        sc.drilled_sites,
        r.rivers,
        r.covered_rivers,
        c.warnings,
        c.lead_minutes,
        su.events,
        su.detected_events
    from grid as g
    left join site_counts as sc
        on
            g.year = sc.year and g.area_level = sc.area_level
            and g.area_code = sc.area_code
    left join rivers as r on g.year = r.year and g.area_level = 'district'
    left join convective as c on g.year = c.year and g.area_level = 'district'
    left join sudden as su on g.year = su.year and g.area_level = 'district'

)

select
    indicator_code,
    year,
    area_code,
    area_level,
    cast(null as double) as measure,
    cast(case indicator_code
        when 'GEO_MONITORING_COVERAGE' then coalesce(mass_monitored_sites, 0)
        when 'GEO_DRILL_COVERAGE' then coalesce(drilled_sites, 0)
        when 'RIVER_WARNING_COVERAGE' then coalesce(covered_rivers, 0)
        when 'CONVECTIVE_WARNING_LEAD_MIN' then coalesce(lead_minutes, 0)
        when 'SUDDEN_WEATHER_MONITORING_RATE' then coalesce(detected_events, 0)
    end as double) as numerator,
    cast(case indicator_code
        when 'GEO_MONITORING_COVERAGE' then coalesce(monitoring_sites, 0)
        when 'GEO_DRILL_COVERAGE' then coalesce(drill_sites, 0)
        when 'RIVER_WARNING_COVERAGE' then coalesce(rivers, 0)
        when 'CONVECTIVE_WARNING_LEAD_MIN' then coalesce(warnings, 0)
        when 'SUDDEN_WEATHER_MONITORING_RATE' then coalesce(events, 0)
    end as double) as denominator,
    cast(null as varchar) as flags
from keyed
