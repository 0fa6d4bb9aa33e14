with source as (

    {{ current_rows('weather_warnings', ['warning_id']) | indent(4) }}

),

renamed as (

    select
        cast(warning_id as varchar) as warning_id,
        cast(warning_type as varchar) as warning_type,
        cast(level as varchar) as level,
        cast(issued_at as timestamp) as issued_at,
        cast(onset_at as timestamp) as onset_at,
        cast(townships as varchar[]) as township_codes,
        cast(year(issued_at) as integer) as year,
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
