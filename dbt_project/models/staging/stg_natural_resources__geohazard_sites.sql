with source as (

    {{ current_rows('geohazard_sites', ['year', 'site_id']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(site_id as varchar) as site_id,
        cast(name as varchar) as name,
        cast(township as varchar) as township_code,
        cast(hazard as varchar) as hazard,
        cast(scale as varchar) as scale,
        cast(threatened_people as bigint) as threatened_people,
        cast(threatened_property as double) as threatened_property,
        cast(mass_monitored as boolean) as mass_monitored,
        cast(professionally_monitored as boolean) as professionally_monitored,
        cast(drills as bigint) as drills,
        cast(status as varchar) as status,
        {{ provenance_columns() }}
    from source

)

select * from renamed
