with source as (

    {{ current_rows('river_warning_coverage', ['year', 'river']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(river as varchar) as river,
        cast(townships as varchar[]) as township_codes,
        cast(warning_covered as boolean) as warning_covered,
        {{ provenance_columns() }}
    from source

)

select * from renamed
