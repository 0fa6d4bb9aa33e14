{{ stg_disaster_event('geohazard_events') }}
