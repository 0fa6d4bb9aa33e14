with source as (

    {{ current_rows('gdp', ['year']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(gdp_current as double) as gdp_current,
        cast(gdp_index as double) as gdp_index,
        cast(vintage as varchar) as vintage,
        cast(scope as varchar) as scope,
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
