{{ stg_disaster_event('disaster_reports') }}
