-- Which datasets have at least one loaded (current) file for each year: the test of
-- "the required datasets have a loaded file for that year".
-- A table, built once per build: as a view, every test and mart reading it recomputed it (at
-- national scale one test ran for minutes). Incremental builds rebuild it whenever its sources or
-- the ledger-reading year spine change (pipelines/assets/dbt_selection.py).

select
    dataset,
    cast(year(period_start) as integer) as year,
    count(*) as loaded_files
from {{ source('audit', 'load_ledger') }}
where status = 'loaded' and period_start is not null
group by dataset, cast(year(period_start) as integer)
