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
