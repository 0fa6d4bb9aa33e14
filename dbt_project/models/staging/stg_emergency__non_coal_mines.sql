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
        {{ provenance_columns() }}
    from source

)

select * from renamed
