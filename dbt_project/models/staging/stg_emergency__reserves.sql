with source as (

    {{ current_rows('reserves', ['year', 'store']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(store as varchar) as store,
        cast(level as varchar) as level,
        cast(township as varchar) as township_code,
        cast(capacity_people as bigint) as capacity_people,
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
