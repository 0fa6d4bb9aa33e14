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
        cast(_load_id as bigint) as load_id,
        cast(_file_path as varchar) as file_path,
        cast(_sheet as varchar) as sheet,
        cast(_row_number as integer) as row_number,
        cast(period as varchar) as period,
        cast(revision as varchar) as revision,
        cast(revision_rank as integer) as revision_rank,
        cast(_flags as varchar) as flags
    from source

)

select * from renamed
