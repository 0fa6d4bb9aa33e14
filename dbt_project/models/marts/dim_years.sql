{#-
  Every year from the first to the last year of a loaded (current) file of any dataset, with
  whether the year has a loaded file and how many datasets it has.
-#}
with loaded_files as (

    select
        dataset,
        cast(year(period_start) as integer) as year
    from {{ source('audit', 'load_ledger') }}
    where status = 'loaded' and period_start is not null

),

bounds as (

    select
        min(year) as first_year,
        max(year) as last_year
    from loaded_files

),

years as (

    select cast(series.series_year as integer) as year
    from bounds,
        generate_series(bounds.first_year, bounds.last_year) as series (series_year)

),

per_year as (

    select
        year,
        count(*) as loaded_files,
        count(distinct dataset) as datasets_loaded
    from loaded_files
    group by year

)

select
    y.year,
    coalesce(p.loaded_files, 0) > 0 as has_loaded_file,
    coalesce(p.loaded_files, 0) as loaded_files,
    coalesce(p.datasets_loaded, 0) as datasets_loaded
from years as y
left join per_year as p on y.year = p.year
