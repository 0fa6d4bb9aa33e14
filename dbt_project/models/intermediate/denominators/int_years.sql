-- Year spine of the indicator marts: every year from the first to the last year with a loaded
-- file of any dataset (status 'loaded' in the ledger).
-- A view: incremental builds select only what is downstream of changed raw sources, and these
-- depend on the ledger and on the year spine, so they are recomputed whenever a mart reads them.
{{ config(materialized='view') }}

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
