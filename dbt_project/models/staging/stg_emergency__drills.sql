with source as (

    {{ current_rows('drills', ['drill_id']) | indent(4) }}

),

renamed as (

    select
        cast(drill_id as varchar) as drill_id,
        cast(held_on as date) as held_on,
        cast(level as varchar) as level,
        cast(kind as varchar) as kind,
        cast(township as varchar) as township_code,
        cast(site_id as varchar) as site_id,
        cast(participants as bigint) as participants,
        cast(year(held_on) as integer) as year,
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
