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
        {{ provenance_columns() }}
    from source

)

select * from renamed
