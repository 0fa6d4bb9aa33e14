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
