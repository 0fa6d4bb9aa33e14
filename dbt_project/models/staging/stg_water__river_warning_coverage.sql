with source as (

    {{ current_rows('river_warning_coverage', ['year', 'river']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(river as varchar) as river,
        cast(townships as varchar[]) as township_codes,
        cast(warning_covered as boolean) as warning_covered,
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
