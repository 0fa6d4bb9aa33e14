with source as (

    {{ current_rows('fire_monitoring', ['year', 'township']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(township as varchar) as township_code,
        cast(forest_ha as double) as forest_ha,
        cast(monitored_forest_ha as double) as monitored_forest_ha,
        {{ provenance_columns() }}
    from source

)

select * from renamed
