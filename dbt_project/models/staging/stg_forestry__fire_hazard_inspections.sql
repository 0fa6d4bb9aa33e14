with source as (

    {{ current_rows('fire_hazard_inspections', ['inspection_id']) | indent(4) }}

),

renamed as (

    select
        cast(inspection_id as varchar) as inspection_id,
        cast(inspected_on as date) as inspected_on,
        cast(township as varchar) as township_code,
        cast(hazards_found as bigint) as hazards_found,
        cast(hazards_fixed as bigint) as hazards_fixed,
        cast(year(inspected_on) as integer) as year,
        {{ provenance_columns() }}
    from source

)

select * from renamed
