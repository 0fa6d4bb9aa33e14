with source as (

    {{ current_rows('forest_resources', ['year', 'township']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(township as varchar) as township_code,
        cast(woodland_ha as double) as woodland_ha,
        cast(forest_ha as double) as forest_ha,
        cast(coverage_pct as double) as coverage_pct,
        {{ provenance_columns() }}
    from source

)

select * from renamed
