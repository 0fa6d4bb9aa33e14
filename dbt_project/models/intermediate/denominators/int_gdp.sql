-- District GDP at current prices (亿元) per year, from the latest vintage: the current file of
-- the year with the highest revision rank, then the latest load.
-- A table, built once per build: as a view, every test and mart reading it recomputed it (at
-- national scale one test ran for minutes). Incremental builds rebuild it whenever its sources or
-- the ledger-reading year spine change (pipelines/assets/dbt_selection.py).

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
