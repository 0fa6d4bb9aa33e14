-- Every cell the indicator marts must hold: one row per indicator, year of the spine and area
-- (the district, plus every township valid that year where the catalog says district+township),
-- with whether the indicator's required datasets have a loaded file for the year
-- (indicator_requirements: all | any_event_dataset | carried_forward).
-- A table, built once per build: as a view, every test and mart reading it recomputed it (at
-- national scale one test ran for minutes). Incremental builds rebuild it whenever its sources or
-- the ledger-reading year spine change (pipelines/assets/dbt_selection.py).

with catalog as (

    select
        indicator_code,
        areas
    from {{ ref('indicator_catalog') }}

),

years as (

    select year from {{ ref('int_years') }}

),

areas as (

    select
        y.year,
        d.district_code as area_code,
        'district' as area_level
    from years as y
    cross join {{ ref('deployment') }} as d

    union all

    select
        year,
        township_code as area_code,
        'township' as area_level
    from {{ ref('int_township_years') }}

),

requirement_checks as (

    select
        r.indicator_code,
        y.year,
        r.dataset,
        r.how,
        count(dy.dataset) > 0 as is_loaded
    from {{ ref('indicator_requirements') }} as r
    cross join years as y
    left join {{ ref('int_dataset_years') }} as dy
        on
            r.dataset = dy.dataset
            and (y.year = dy.year or (r.how = 'carried_forward' and y.year > dy.year))
    group by r.indicator_code, y.year, r.dataset, r.how

),

indicator_checks as (

    select
        indicator_code,
        year,
        coalesce(bool_and(is_loaded) filter (where how != 'any_event_dataset'), true)
            as datasets_loaded,
        coalesce(bool_or(is_loaded) filter (where how = 'any_event_dataset'), true)
            as event_dataset_loaded,
        string_agg(dataset, ',' order by dataset)
        filter (where how != 'any_event_dataset' and not is_loaded) as missing_datasets,
        string_agg(dataset, '|' order by dataset)
        filter (where how = 'any_event_dataset') as event_datasets
    from requirement_checks
    group by indicator_code, year

)

select
    c.indicator_code,
    a.year,
    a.area_code,
    a.area_level,
    coalesce(ic.datasets_loaded and ic.event_dataset_loaded, true) as inputs_loaded,
    nullif(concat_ws(
        ',',
        ic.missing_datasets,
        case when not ic.event_dataset_loaded then ic.event_datasets end
    ), '') as missing_inputs
from catalog as c
inner join areas as a
    on a.area_level = 'district' or c.areas = 'district+township'
left join indicator_checks as ic
    on c.indicator_code = ic.indicator_code and a.year = ic.year
