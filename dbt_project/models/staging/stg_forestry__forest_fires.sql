with source as (

    {{ current_rows('forest_fires', ['fire_id']) }}

),

renamed as (

    select
        cast(fire_id as varchar) as fire_id,
        cast(ignited_at as timestamp) as ignited_at,
        cast(extinguished_at as timestamp) as extinguished_at,
        cast(township as varchar) as township_code,
        cast(location as varchar) as location,
        cast(cause as varchar) as cause,
        cast(burned_area_ha as double) as burned_area_ha,
        cast(damaged_forest_ha as double) as damaged_forest_ha,
        cast(deaths as bigint) as deaths,
        cast(serious_injuries as bigint) as serious_injuries,
        cast(minor_injuries as bigint) as minor_injuries,
        cast(direct_loss as double) as direct_loss,
        cast(other_forest_land as boolean) as other_forest_land,
        cast(year(ignited_at) as integer) as year,
        {{ provenance_columns() }}
    from source

)

select * from renamed
