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
