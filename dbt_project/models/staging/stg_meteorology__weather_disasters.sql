{{ stg_disaster_event('weather_disasters') }}
