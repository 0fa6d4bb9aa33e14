with source as (

    {{ current_rows('road_traffic_accidents', ['accident_id']) }}

),

renamed as (

    select
        cast(accident_id as varchar) as accident_id,
        cast(occurred_at as timestamp) as occurred_at,
        cast(township as varchar) as township_code,
        cast(industry as varchar) as industry,
        cast(accident_type as varchar) as accident_type,
        cast(deaths as bigint) as deaths,
        cast(missing as bigint) as missing,
        cast(serious_injuries as bigint) as serious_injuries,
        cast(minor_injuries as bigint) as minor_injuries,
        cast(direct_loss as double) as direct_loss,
        cast(reported_grade as varchar) as reported_grade,
        cast(summary as varchar) as summary,
        cast(road as varchar) as road,
        cast(vehicle_type as varchar) as vehicle_type,
        cast(commercial as boolean) as commercial,
        cast(year(occurred_at) as integer) as year,
        {{ provenance_columns() }}
    from source

)

select * from renamed
