-- For count and sum indicators computed for district and townships with the sum rule, the
-- district value equals the sum of the township values (every record of these datasets names a
-- township valid in its year).
with formulas as (

    select indicator_code
    from {{ ref('indicator_formulas') }}
    where value_kind in ('count', 'sum') and district_rule = 'sum'

),

values_ as (

    select
        v.indicator_code,
        v.year,
        v.area_level,
        v.value
    from {{ ref('indicator_values') }} as v
    inner join formulas as f on v.indicator_code = f.indicator_code
    inner join {{ ref('indicator_catalog') }} as c on v.indicator_code = c.indicator_code
    where c.areas = 'district+township'

),

compared as (

    select
        indicator_code,
        year,
        max(value) filter (where area_level = 'district') as district_value,
        sum(value) filter (where area_level = 'township') as township_sum
    from values_
    group by indicator_code, year

)

select *
from compared
-- relative tolerance: doubles summed in another order differ in the last digits (at national
-- scale, losses of ~10^7 万元 differed by ~10^-8)
where
    abs(coalesce(district_value, 0) - coalesce(township_sum, 0))
    > 1e-9 * greatest(1, abs(coalesce(district_value, 0)), abs(coalesce(township_sum, 0)))
