with source as (

    {{ current_rows('old_community_renovation', ['year', 'community']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(community as varchar) as community,
        cast(township as varchar) as township_code,
        cast(area_completed as double) as area_completed,
        cast(households as bigint) as households,
        {{ provenance_columns() }}
    from source

)

select * from renamed
