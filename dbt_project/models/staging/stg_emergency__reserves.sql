with source as (

    {{ current_rows('reserves', ['year', 'store']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(store as varchar) as store,
        cast(level as varchar) as level,
        cast(township as varchar) as township_code,
        cast(capacity_people as bigint) as capacity_people,
        {{ provenance_columns() }}
    from source

)

select * from renamed
