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
        {{ provenance_columns() }}
    from source

)

select * from renamed
