-- District GDP at current prices (亿元) per year, from the latest vintage: the current file of
-- the year with the highest revision rank, then the latest load.
-- A view: incremental builds select only what is downstream of changed raw sources, and these
-- depend on the ledger and on the year spine, so they are recomputed whenever a mart reads them.
{{ config(materialized='view') }}

with gdp as (

    select
        year,
        gdp_current,
        vintage,
        revision,
        revision_rank,
        load_id,
        row_number() over (
            partition by year
            order by revision_rank desc nulls last, load_id desc
        ) as vintage_rank
    from {{ ref('stg_statistics__gdp') }}

)

select
    year,
    gdp_current,
    vintage,
    revision,
    revision_rank,
    load_id
from gdp
where vintage_rank = 1
