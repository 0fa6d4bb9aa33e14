with source as (

    {{ current_rows('non_coal_mines', ['year', 'mine_id']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(mine_id as varchar) as mine_id,
        cast(name as varchar) as name,
        cast(township as varchar) as township_code,
        cast(mineral as varchar) as mineral,
        cast(status as varchar) as status,
        cast(standard_level as varchar) as standard_level,
        cast(capacity as double) as capacity,
        cast(key_posts as bigint) as key_posts,
        cast(mechanized_key_posts as bigint) as mechanized_key_posts,
        cast(approved_year as bigint) as approved_year,
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
