-- Resident population (常住人口, 本级) per township and year, carried forward from the latest
-- earlier year where the year is missing (flagged); the district is the sum of the townships.
-- A view: incremental builds select only what is downstream of changed raw sources, and these
-- depend on the ledger and on the year spine, so they are recomputed whenever a mart reads them.
{{ config(materialized='view') }}

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
