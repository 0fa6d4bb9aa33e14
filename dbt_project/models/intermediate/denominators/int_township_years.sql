-- In-scope townships valid in each year of the spine: scope from the deployment seed, a
-- township counts from its valid_from year (通惠街道 from 2020, so 2019 has 20 townships).
-- A table, built once per build: as a view, every test and mart reading it recomputed it (at
-- national scale one test ran for minutes). Incremental builds rebuild it whenever its sources or
-- the ledger-reading year spine change (pipelines/assets/dbt_selection.py).

with deployment as (

    select
        district_code,
        township_scope
    from {{ ref('deployment') }}

),

townships as (

    select
        t.code9 as township_code,
        t.name as township_name,
        t.valid_from,
        coalesce(t.reserve_standard = 'yes', false) as reserve_standard
    from {{ ref('townships') }} as t
    inner join deployment as d on t.scope = d.township_scope

),

years as (

    select year from {{ ref('int_years') }}

)

select
    y.year,
    t.township_code,
    t.township_name,
    t.reserve_standard
from years as y
inner join townships as t
    on t.valid_from is null or y.year >= t.valid_from
