-- Resident population (常住人口, 本级) per township and year, carried forward from the latest
-- earlier year where the year is missing (flagged); the district is the sum of the townships.
-- A table, built once per build: as a view, every test and mart reading it recomputed it (at
-- national scale one test ran for minutes). Incremental builds rebuild it whenever its sources or
-- the ledger-reading year spine change (pipelines/assets/dbt_selection.py).

with population as (

    select
        township_code,
        year,
        resident_population
    from {{ ref('stg_statistics__population') }}

),

carried as (

    {{ carried_forward_by_township('population', 'resident_population') | indent(4) }}

)

select
    year,
    area_code,
    area_level,
    resident_population,
    source_year as population_year,
    is_carried_forward,
    townships_missing
from carried
