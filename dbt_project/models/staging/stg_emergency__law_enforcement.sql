with source as (

    {{ current_rows('law_enforcement', ['year', 'unit']) | indent(4) }}

),

renamed as (

    select
        cast(year as integer) as year,
        cast(unit as varchar) as unit,
        cast(level as varchar) as level,
        cast(officers as bigint) as officers,
        cast(qualified_officers as bigint) as qualified_officers,
        cast(equipment_compliant as boolean) as equipment_compliant,
        {{ provenance_columns() }}
    from source

)

select * from renamed
