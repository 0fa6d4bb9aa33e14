-- Every fact row sits in an in-scope township that existed in the row's year (valid_from in the
-- townships seed: 通惠街道 from 2020). The loader quarantines such rows; this guards the marts.
with fact_rows as (

    select
        'fct_accidents' as fact,
        accident_id as record_key,
        township_code,
        year
    from {{ ref('fct_accidents') }}
    union all
    select
        'fct_forest_fires' as fact,
        fire_id as record_key,
        township_code,
        year
    from {{ ref('fct_forest_fires') }}
    union all
    select
        'fct_disaster_events' as fact,
        event_id as record_key,
        township_code,
        year
    from {{ ref('fct_disaster_events') }}

)

select
    f.fact,
    f.record_key,
    f.township_code,
    f.year,
    t.valid_from,
    t.in_scope
from fact_rows as f
left join {{ ref('dim_townships') }} as t on f.township_code = t.township_code
where
    t.township_code is null
    or not t.in_scope
    or f.year < coalesce(t.valid_from, f.year)
