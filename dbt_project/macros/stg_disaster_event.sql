{#- Staging of the shared disaster-event record (datasets.md, Shared shapes): the four event
    datasets deliver the same fields, so they share one rename-and-cast list. -#}
{% macro stg_disaster_event(dataset) -%}
with source as (

    {{ current_rows(dataset, ['event_id', 'township']) }}

),

renamed as (

    select
        cast(event_id as varchar) as event_id,
        cast(hazard as varchar) as hazard,
        cast(started_on as date) as started_on,
        cast(ended_on as date) as ended_on,
        cast(township as varchar) as township_code,
        cast(affected_person_times as bigint) as affected_person_times,
        cast(deaths as bigint) as deaths,
        cast(missing as bigint) as missing,
        cast(injured as bigint) as injured,
        cast(relocated_person_times as bigint) as relocated_person_times,
        cast(needing_aid_person_times as bigint) as needing_aid_person_times,
        cast(crop_affected_ha as double) as crop_affected_ha,
        cast(crop_damaged_ha as double) as crop_damaged_ha,
        cast(crop_lost_ha as double) as crop_lost_ha,
        cast(houses_collapsed as bigint) as houses_collapsed,
        cast(houses_severely_damaged as bigint) as houses_severely_damaged,
        cast(houses_damaged as bigint) as houses_damaged,
        cast(direct_loss as double) as direct_loss,
        cast(report_stage as varchar) as report_stage,
        cast(year(started_on) as integer) as year,
        {{ provenance_columns() }}
    from source

)

select * from renamed
{%- endmacro %}
