-- Non-coal mine indicators per grid cell (district): standardisation shares and mechanisation of
-- operating mines (status 生产 or 改扩建), and the share of new or expanded limestone mines
-- approved in the year whose capacity reaches the floor. Values and floor from indicator_filters.
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
        'MINE_STD_L3_SHARE', 'MINE_STD_L2_SHARE', 'MINE_MECHANIZATION_RATE', 'MINE_NEW_CAPACITY_COMPLIANCE'
    )

),

mines as (

    select
        year,
        status,
        standard_level,
        mineral,
        capacity,
        key_posts,
        mechanized_key_posts,
        approved_year
    from {{ ref('stg_emergency__non_coal_mines') }}

),

by_year as (

    select
        year,
        count(*) filter (
            where status in {{ indicator_filter('MINE_STD_L3_SHARE', 'operating_status') }}
        ) as l3_operating,
        count(*) filter (
            where
            status in {{ indicator_filter('MINE_STD_L3_SHARE', 'operating_status') }}
            and standard_level in {{ indicator_filter('MINE_STD_L3_SHARE', 'standard_level') }}
        ) as l3_compliant,
        count(*) filter (
            where status in {{ indicator_filter('MINE_STD_L2_SHARE', 'operating_status') }}
        ) as l2_operating,
        count(*) filter (
            where
            status in {{ indicator_filter('MINE_STD_L2_SHARE', 'operating_status') }}
            and standard_level in {{ indicator_filter('MINE_STD_L2_SHARE', 'standard_level') }}
        ) as l2_compliant,
        coalesce(sum(key_posts) filter (
            where status in {{ indicator_filter('MINE_MECHANIZATION_RATE', 'operating_status') }}
        ), 0) as key_posts,
        coalesce(sum(mechanized_key_posts) filter (
            where status in {{ indicator_filter('MINE_MECHANIZATION_RATE', 'operating_status') }}
        ), 0) as mechanized_key_posts,
        count(*) filter (
            where
            mineral in {{ indicator_filter('MINE_NEW_CAPACITY_COMPLIANCE', 'mineral') }}
            and status in {{ indicator_filter('MINE_NEW_CAPACITY_COMPLIANCE', 'project_status') }}
            and approved_year = year
        ) as new_mines,
        count(*) filter (
            where
            mineral in {{ indicator_filter('MINE_NEW_CAPACITY_COMPLIANCE', 'mineral') }}
            and status in {{ indicator_filter('MINE_NEW_CAPACITY_COMPLIANCE', 'project_status') }}
            and approved_year = year
            and capacity >= {{ indicator_threshold('MINE_NEW_CAPACITY_COMPLIANCE', 'min_capacity') }}
        ) as new_mines_compliant
    from mines
    group by year

)

select
    g.indicator_code,
    g.year,
    g.area_code,
    g.area_level,
    cast(null as double) as measure,
    cast(case g.indicator_code
        when 'MINE_STD_L3_SHARE' then coalesce(m.l3_compliant, 0)
        when 'MINE_STD_L2_SHARE' then coalesce(m.l2_compliant, 0)
        when 'MINE_MECHANIZATION_RATE' then coalesce(m.mechanized_key_posts, 0)
        when 'MINE_NEW_CAPACITY_COMPLIANCE' then coalesce(m.new_mines_compliant, 0)
    end as double) as numerator,
    cast(case g.indicator_code
        when 'MINE_STD_L3_SHARE' then coalesce(m.l3_operating, 0)
        when 'MINE_STD_L2_SHARE' then coalesce(m.l2_operating, 0)
        when 'MINE_MECHANIZATION_RATE' then coalesce(m.key_posts, 0)
        when 'MINE_NEW_CAPACITY_COMPLIANCE' then coalesce(m.new_mines, 0)
    end as double) as denominator,
    cast(null as varchar) as flags
from grid as g
left join by_year as m on g.year = m.year and g.area_level = 'district'
