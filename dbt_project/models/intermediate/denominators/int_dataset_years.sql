-- Which datasets have at least one loaded (current) file for each year: the test of
-- "the required datasets have a loaded file for that year".
select
    dataset,
    cast(year(period_start) as integer) as year,
    count(*) as loaded_files
from {{ source('audit', 'load_ledger') }}
where status = 'loaded' and period_start is not null
group by dataset, cast(year(period_start) as integer)
