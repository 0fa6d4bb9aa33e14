with source as (

    {{ current_rows('gdp', ['year']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(gdp_current as double) as gdp_current,
        cast(gdp_index as double) as gdp_index,
        cast(vintage as varchar) as vintage,
        cast(scope as varchar) as scope,
        {{ provenance_columns() }}
    from source

)

select * from renamed
