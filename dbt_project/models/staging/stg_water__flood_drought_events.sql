{{ stg_disaster_event('flood_drought_events') }}
