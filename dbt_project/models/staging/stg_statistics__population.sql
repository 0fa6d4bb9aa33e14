with source as (

    {{ current_rows('population', ['year', 'township']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(township as varchar) as township_code,
        cast(resident_population as bigint) as resident_population,
        cast(registered_population as bigint) as registered_population,
        cast(scope as varchar) as scope,
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
