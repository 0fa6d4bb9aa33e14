-- Forest area (森林面积, forest_ha of forest_resources) per township and year, carried forward
-- from the latest earlier year where the year is missing (flagged); the district is the sum.
-- A table, built once per build: as a view, every test and mart reading it recomputed it (at
-- national scale one test ran for minutes). Incremental builds rebuild it whenever its sources or
-- the ledger-reading year spine change (pipelines/assets/dbt_selection.py).

with forest as (

    select
        township_code,
        year,
        forest_ha
    from {{ ref('stg_forestry__forest_resources') }}

),

carried as (

    {{ carried_forward_by_township('forest', 'forest_ha') | indent(4) }}

)

select
    year,
    area_code,
    area_level,
    forest_ha,
    source_year as forest_year,
    is_carried_forward,
    townships_missing
from carried
