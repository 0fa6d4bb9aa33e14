with source as (

    {{ current_rows('road_safety_works', ['year', 'project']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(project as varchar) as project,
        cast(township as varchar) as township_code,
        cast(km_completed as double) as km_completed,
        cast(bridges_upgraded as bigint) as bridges_upgraded,
        {{ provenance_columns() }}
    from source

)

select * from renamed
