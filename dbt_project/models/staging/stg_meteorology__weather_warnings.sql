with source as (

    {{ current_rows('weather_warnings', ['warning_id']) | indent(4) }}

),

renamed as (

    select
        cast(warning_id as varchar) as warning_id,
        cast(warning_type as varchar) as warning_type,
        cast(level as varchar) as level,
        cast(issued_at as timestamp) as issued_at,
        cast(onset_at as timestamp) as onset_at,
        cast(townships as varchar[]) as township_codes,
        cast(year(issued_at) as integer) as year,
        {{ provenance_columns() }}
    from source

)

select * from renamed
