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
        cast(_load_id as bigint) as load_id,
        cast(_file_path as varchar) as file_path,
        cast(_sheet as varchar) as sheet,
        cast(_row_number as integer) as row_number,
        cast(period as varchar) as period,
        cast(revision as varchar) as revision,
        cast(revision_rank as integer) as revision_rank,
        cast(_flags as varchar) as flags
    from source

)

select * from renamed
