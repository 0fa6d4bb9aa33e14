-- Capacity-building indicators per grid cell: rescue teams (district + township 综合 teams;
-- community stations), enforcement units, fire hydrants (ratio of sums, uncapped), road safety
-- works and old-community renovation (amounts completed in the year), district drills, and
-- reserves (区级 stores count for the district only, wherever located; township stores per
-- township, the district taking the smallest value over the in-scope townships held to the
-- reserve standard). Category values come from indicator_filters.
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
        'RESCUE_TEAM_COMPLETION', 'COMMUNITY_STATION_COMPLETION', 'ENFORCEMENT_EQUIPMENT_COMPLIANCE',
        'ENFORCEMENT_QUALIFIED_SHARE', 'HYDRANT_COVERAGE', 'ROAD_SAFETY_KM', 'BRIDGE_GUARDRAILS',
        'OLD_COMMUNITY_RENOVATION', 'DISTRICT_DRILLS', 'RESERVE_CAPACITY_DISTRICT', 'RESERVE_CAPACITY_TOWNSHIP'
    )

),

deployment as (

    select district_code from {{ ref('deployment') }}

),

township_years as (

    select
        year,
        township_code,
        reserve_standard
    from {{ ref('int_township_years') }}

),

teams as (

    select
        year,
        level,
        kind,
        township_code,
        coalesce(established, false) as is_established
    from {{ ref('stg_emergency__rescue_teams') }}

),

rescue_units as (

    -- one row per unit (the district and each township valid that year) and whether it has an
    -- established comprehensive team at its own level
    select
        ty.year,
        ty.township_code as unit_code,
        bool_or(t.is_established) is true as has_team
    from township_years as ty
    left join teams as t
        on
            ty.year = t.year and ty.township_code = t.township_code
            and t.level in {{ indicator_filter('RESCUE_TEAM_COMPLETION', 'township_level') }}
            and t.kind in {{ indicator_filter('RESCUE_TEAM_COMPLETION', 'kind') }}
    group by ty.year, ty.township_code

    union all

    select
        y.year,
        d.district_code as unit_code,
        bool_or(t.is_established) is true as has_team
    from {{ ref('int_years') }} as y
    cross join deployment as d
    left join teams as t
        on
            y.year = t.year
            and t.level in {{ indicator_filter('RESCUE_TEAM_COMPLETION', 'district_level') }}
            and t.kind in {{ indicator_filter('RESCUE_TEAM_COMPLETION', 'kind') }}
    group by y.year, d.district_code

),

rescue as (

    select
        year,
        count(*) filter (where has_team) as units_with_team,
        count(*) as units
    from rescue_units
    group by year

),

stations as (

    select
        year,
        township_code,
        {{ area_level_of_grouping() }} as area_level,
        {{ area_code_of_grouping() }} as area_code,
        count(*) as stations,
        count(*) filter (where is_established) as established_stations
    from teams
    where level in {{ indicator_filter('COMMUNITY_STATION_COMPLETION', 'level') }}
    group by grouping sets ((year, township_code), (year))

),

enforcement as (

    select
        year,
        count(*) as units,
        count(*) filter (where equipment_compliant) as compliant_units,
        sum(officers) as officers,
        sum(qualified_officers) as qualified_officers
    from {{ ref('stg_emergency__law_enforcement') }}
    group by year

),

hydrants as (

    select
        year,
        township_code,
        {{ area_level_of_grouping() }} as area_level,
        {{ area_code_of_grouping() }} as area_code,
        sum(required) as required,
        sum(built) as built
    from {{ ref('stg_housing__fire_hydrants') }}
    group by grouping sets ((year, township_code), (year))

),

road_works as (

    select
        year,
        township_code,
        {{ area_level_of_grouping() }} as area_level,
        {{ area_code_of_grouping() }} as area_code,
        count(*) as projects,
        sum(km_completed) as km_completed,
        sum(bridges_upgraded) as bridges_upgraded
    from {{ ref('stg_transport__road_safety_works') }}
    group by grouping sets ((year, township_code), (year))

),

renovation as (

    select
        year,
        township_code,
        {{ area_level_of_grouping() }} as area_level,
        {{ area_code_of_grouping() }} as area_code,
        count(*) as communities,
        sum(area_completed) as area_completed
    from {{ ref('stg_housing__old_community_renovation') }}
    group by grouping sets ((year, township_code), (year))

),

district_drills as (

    select
        year,
        count(*) as drills
    from {{ ref('stg_emergency__drills') }}
    where level in {{ indicator_filter('DISTRICT_DRILLS', 'level') }}
    group by year

),

district_reserves as (

    select
        year,
        count(*) as stores,
        sum(capacity_people) as capacity_people
    from {{ ref('stg_emergency__reserves') }}
    where level in {{ indicator_filter('RESERVE_CAPACITY_DISTRICT', 'level') }}
    group by year

),

township_reserve_stores as (

    select
        year,
        township_code,
        sum(capacity_people) as capacity_people
    from {{ ref('stg_emergency__reserves') }}
    where level in {{ indicator_filter('RESERVE_CAPACITY_TOWNSHIP', 'level') }}
    group by year, township_code

),

township_reserves as (

    select
        ty.year,
        ty.township_code,
        ty.reserve_standard,
        coalesce(trs.capacity_people, 0) as capacity_people
    from township_years as ty
    left join township_reserve_stores as trs
        on ty.year = trs.year and ty.township_code = trs.township_code

),

smallest_township_reserve as (

    select
        year,
        min(capacity_people) filter (where reserve_standard) as capacity_people
    from township_reserves
    group by year

),

keyed as (

    select
        g.indicator_code,
        g.year,
        g.area_code,
        g.area_level,
        r.units_with_team,
        r.units as rescue_units,
        st.stations,
        st.established_stations,
        e.units as enforcement_units,
        e.compliant_units,
        e.officers,
        e.qualified_officers,
        h.required as hydrants_required,
        h.built as hydrants_built,
        rw.projects as road_projects,
        rw.km_completed,
        rw.bridges_upgraded,
        rn.communities,
        rn.area_completed,
        dd.drills,
        dr.stores as district_stores,
        dr.capacity_people as district_capacity,
        case
            when g.area_level = 'district' then sr.capacity_people
            else tr.capacity_people
        end as township_capacity
    from grid as g
    left join rescue as r on g.year = r.year and g.area_level = 'district'
    left join stations as st
        on
            g.year = st.year and g.area_level = st.area_level
            and g.area_code = st.area_code
    left join enforcement as e on g.year = e.year and g.area_level = 'district'
    left join hydrants as h
        on
            g.year = h.year and g.area_level = h.area_level
            and g.area_code = h.area_code
    left join road_works as rw
        on
            g.year = rw.year and g.area_level = rw.area_level
            and g.area_code = rw.area_code
    left join renovation as rn
        on
            g.year = rn.year and g.area_level = rn.area_level
            and g.area_code = rn.area_code
    left join district_drills as dd on g.year = dd.year and g.area_level = 'district'
    left join district_reserves as dr on g.year = dr.year and g.area_level = 'district'
    left join township_reserves as tr on g.year = tr.year and g.area_code = tr.township_code
    left join smallest_township_reserve as sr on g.year = sr.year

)

select
    indicator_code,
    year,
    area_code,
    area_level,
    -- a sum over rows that exist but are all blank stays NULL (not reported); over no rows it is 0
    cast(case indicator_code
        when 'ROAD_SAFETY_KM' then case when coalesce(road_projects, 0) = 0 then 0 else km_completed end
        when 'BRIDGE_GUARDRAILS' then case when coalesce(road_projects, 0) = 0 then 0 else bridges_upgraded end
        when 'OLD_COMMUNITY_RENOVATION' then case when coalesce(communities, 0) = 0 then 0 else area_completed end
        when 'DISTRICT_DRILLS' then coalesce(drills, 0)
        when 'RESERVE_CAPACITY_DISTRICT' then coalesce(district_capacity, 0)
        when 'RESERVE_CAPACITY_TOWNSHIP' then township_capacity
    end as double) as measure,
    cast(case indicator_code
        when 'RESCUE_TEAM_COMPLETION' then coalesce(units_with_team, 0)
        when 'COMMUNITY_STATION_COMPLETION' then coalesce(established_stations, 0)
        when 'ENFORCEMENT_EQUIPMENT_COMPLIANCE' then coalesce(compliant_units, 0)
        when 'ENFORCEMENT_QUALIFIED_SHARE' then coalesce(qualified_officers, 0)
        when 'HYDRANT_COVERAGE' then coalesce(hydrants_built, 0)
    end as double) as numerator,
    cast(case indicator_code
        when 'RESCUE_TEAM_COMPLETION' then coalesce(rescue_units, 0)
        when 'COMMUNITY_STATION_COMPLETION' then coalesce(stations, 0)
        when 'ENFORCEMENT_EQUIPMENT_COMPLIANCE' then coalesce(enforcement_units, 0)
        when 'ENFORCEMENT_QUALIFIED_SHARE' then coalesce(officers, 0)
        when 'HYDRANT_COVERAGE' then coalesce(hydrants_required, 0)
    end as double) as denominator,
    case
        when indicator_code = 'RESERVE_CAPACITY_TOWNSHIP' and area_level = 'district' and township_capacity is null
            then 'no_township_held_to_reserve_standard'
    end as flags
from keyed
