with source as (

    {{ current_rows('sudden_event_monitoring', ['event_id']) | indent(4) }}

),

renamed as (

    select
        cast(event_id as varchar) as event_id,
        cast(occurred_on as date) as occurred_on,
        cast(hazard as varchar) as hazard,
        cast(township as varchar) as township_code,
        cast(detected as boolean) as detected,
        cast(year(occurred_on) as integer) as year,
        {{ provenance_columns() }}
    from source

)

select * from renamed
