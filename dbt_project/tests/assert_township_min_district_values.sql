-- The two "smallest township" indicators: the district value is the minimum of the township
-- values over the eligible townships (FF_INSPECTIONS: forest_ha > 0 in that year's
-- forest_resources; RESERVE_CAPACITY_TOWNSHIP: townships held to the reserve standard).
with township_values as (

    select
        v.indicator_code,
        v.year,
        v.area_code,
        v.value
    from {{ ref('indicator_values') }} as v
    where v.area_level = 'township' and v.indicator_code in ('FF_INSPECTIONS', 'RESERVE_CAPACITY_TOWNSHIP')

),

eligible as (

    select
        tv.indicator_code,
        tv.year,
        min(tv.value) as smallest_township_value
    from township_values as tv
    left join {{ ref('stg_forestry__forest_resources') }} as fr
        on tv.year = fr.year and tv.area_code = fr.township_code
    left join {{ ref('int_township_years') }} as ty
        on tv.year = ty.year and tv.area_code = ty.township_code
    where
        (tv.indicator_code = 'FF_INSPECTIONS' and fr.forest_ha > 0)
        or (tv.indicator_code = 'RESERVE_CAPACITY_TOWNSHIP' and ty.reserve_standard)
    group by tv.indicator_code, tv.year

),

district_values as (

    select
        v.indicator_code,
        v.year,
        v.value
    from {{ ref('indicator_values') }} as v
    where v.area_level = 'district' and v.indicator_code in ('FF_INSPECTIONS', 'RESERVE_CAPACITY_TOWNSHIP')

)

select
    d.indicator_code,
    d.year,
    d.value,
    e.smallest_township_value
from district_values as d
left join eligible as e on d.indicator_code = e.indicator_code and d.year = e.year
where d.value is distinct from e.smallest_township_value
