with source as (

    {{ current_rows('fire_hydrants', ['year', 'township']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(township as varchar) as township_code,
        cast(required as bigint) as required,
        cast(built as bigint) as built,
        {{ provenance_columns() }}
    from source

)

select * from renamed
