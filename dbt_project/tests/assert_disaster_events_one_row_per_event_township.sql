-- fct_disaster_events holds exactly one row per in-scope (event_id, township) of the four
-- disaster-event datasets, and never a row of another dataset. Returns the pairs that break it.
with pairs as (

    select distinct
        event_id,
        township_code
    from {{ ref('int_disaster_events') }}
    where township_in_scope

),

facts as (

    select
        event_id,
        township_code,
        source_dataset
    from {{ ref('fct_disaster_events') }}

)

select
    f.source_dataset,
    coalesce(p.event_id, f.event_id) as event_id,
    coalesce(p.township_code, f.township_code) as township_code
from pairs as p
full outer join facts as f
    on p.event_id = f.event_id and p.township_code = f.township_code
where
    p.event_id is null
    or f.event_id is null
    or f.source_dataset not in (
        'disaster_reports', 'geohazard_events', 'flood_drought_events', 'weather_disasters'
    )
