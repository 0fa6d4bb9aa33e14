-- indicator_progress has one row per indicator with a target and as-of year from plan_start to
-- min(plan_end, last year with data), and none for indicators without a target.
with last_year as (

    select max(year) as last_year from {{ ref('int_years') }}

),

expected as (

    select
        c.indicator_code,
        cast(unnest(generate_series(c.plan_start, least(c.plan_end, l.last_year))) as integer) as as_of_year
    from {{ ref('indicator_catalog') }} as c
    cross join last_year as l
    where c.target is not null and l.last_year is not null

)

select
    coalesce(e.indicator_code, p.indicator_code) as indicator_code,
    coalesce(e.as_of_year, p.as_of_year) as as_of_year,
    e.indicator_code is null as unexpected_row
from expected as e
full outer join {{ ref('indicator_progress') }} as p
    on e.indicator_code = p.indicator_code and e.as_of_year = p.as_of_year
where e.indicator_code is null or p.indicator_code is null
