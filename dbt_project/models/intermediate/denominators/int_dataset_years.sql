-- Which datasets have at least one loaded (current) file for each year: the test of
-- "the required datasets have a loaded file for that year".
-- A view: incremental builds select only what is downstream of changed raw sources, and these
-- depend on the ledger and on the year spine, so they are recomputed whenever a mart reads them.
{{ config(materialized='view') }}

select
    dataset,
    cast(year(period_start) as integer) as year,
    count(*) as loaded_files
from {{ source('audit', 'load_ledger') }}
where status = 'loaded' and period_start is not null
group by dataset, cast(year(period_start) as integer)
