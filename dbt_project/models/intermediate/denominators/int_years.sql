-- Year spine of the indicator marts: every year from the first to the last year with a loaded
-- file of any dataset (status 'loaded' in the ledger).
-- A table, built once per build: as a view, every test and mart reading it recomputed it (at
-- national scale one test ran for minutes). Incremental builds rebuild it whenever its sources or
-- the ledger-reading year spine change (pipelines/assets/dbt_selection.py).

with loaded_files as (

    select cast(year(period_start) as integer) as file_year
    from {{ source('audit', 'load_ledger') }}
    where status = 'loaded' and period_start is not null

),

bounds as (

    select
        min(file_year) as first_year,
        max(file_year) as last_year
    from loaded_files

),

years as (

    select
        cast(unnest(generate_series(first_year, last_year)) as integer) as year,
        first_year,
        last_year
    from bounds
    where first_year is not null

)

select
    year,
    year = first_year as is_first_year,
    year = last_year as is_last_year
from years
