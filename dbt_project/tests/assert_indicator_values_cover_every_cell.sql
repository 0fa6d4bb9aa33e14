-- indicator_values holds, for every indicator and every year of the spine, exactly one district
-- row and (for district+township indicators) one row per township valid that year.
with expected as (

    select
        c.indicator_code,
        y.year,
        1 + case
            when c.areas = 'district+township'
                then (
                    select count(*)
                    from {{ ref('int_township_years') }} as ty
                    where ty.year = y.year
                )
            else 0
        end as expected_rows
    from {{ ref('indicator_catalog') }} as c
    cross join {{ ref('int_years') }} as y

),

actual as (

    select
        indicator_code,
        year,
        count(*) as actual_rows
    from {{ ref('indicator_values') }}
    group by indicator_code, year

)

select
    e.indicator_code,
    e.year,
    e.expected_rows,
    a.actual_rows
from expected as e
left join actual as a on e.indicator_code = a.indicator_code and e.year = a.year
where a.actual_rows is distinct from e.expected_rows
