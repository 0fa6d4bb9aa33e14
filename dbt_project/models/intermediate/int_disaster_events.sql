{#-
  Every current disaster-event row (event × township) of the four disaster-event datasets, with
  its hazard code and the counting decision. An (event_id, township) counts once, taken from the
  first of disaster_reports, geohazard_events, flood_drought_events, weather_disasters that has
  it (then the latest revision, then the latest load); a department's rows for other townships
  of the same event still count. forest_fires is not a disaster-event source.

  Hazard wordings map to GB/T 28921 through the hazards seed: the whole text, then the part after
  '-', then the part before it (一级-亚灾种; full-width dashes read as '-'). An unknown wording stops the build with an error
  naming it: never a silent "other".
-#}
with reports as (

    select
        'disaster_reports' as source_dataset,
        1 as source_priority,
        *
    from {{ ref('stg_emergency__disaster_reports') }}

),

geohazard as (

    select
        'geohazard_events' as source_dataset,
        2 as source_priority,
        *
    from {{ ref('stg_natural_resources__geohazard_events') }}

),

flood_drought as (

    select
        'flood_drought_events' as source_dataset,
        3 as source_priority,
        *
    from {{ ref('stg_water__flood_drought_events') }}

),

weather as (

    select
        'weather_disasters' as source_dataset,
        4 as source_priority,
        *
    from {{ ref('stg_meteorology__weather_disasters') }}

),

unioned as (

    select * from reports
    union all by name
    select * from geohazard
    union all by name
    select * from flood_drought
    union all by name
    select * from weather

),

wordings as (

    select
        wording,
        label,
        gb_code
    from {{ ref('int_hazard_wordings') }}

),

townships as (

    select
        code9,
        scope = '本级' as in_scope
    from {{ ref('townships') }}

),

normalized as (

    select
        *,
        -- full-width and dash variants of the 一级-亚灾种 separator read as '-'
        regexp_replace(trim(hazard), '\s*[－—–―-]\s*', '-', 'g') as hazard_text
    from unioned

),

mapped as (

    select
        n.*,
        coalesce(w_whole.label, w_sub.label, w_main.label) as hazard_label,
        coalesce(w_whole.gb_code, w_sub.gb_code, w_main.gb_code) as mapped_code,
        coalesce(t.in_scope, false) as township_in_scope
    from normalized as n
    left join wordings as w_whole
        on n.hazard_text = w_whole.wording
    left join wordings as w_sub
        on
            position('-' in n.hazard_text) > 0
            and split_part(n.hazard_text, '-', 2) = w_sub.wording
    left join wordings as w_main
        on
            position('-' in n.hazard_text) > 0
            and split_part(n.hazard_text, '-', 1) = w_main.wording
    left join townships as t on n.township_code = t.code9

),

checked as (

    select
        *,
        coalesce(mapped_code, error(
            '未识别的灾种表述 / unknown hazard wording: "' || coalesce(hazard, '')
            || '" (' || source_dataset || ', ' || coalesce(file_path, '') || ' row '
            || coalesce(cast(row_number as varchar), '?')
            || '); add it to seeds/hazards.csv (label or aliases)'
        )) as hazard_code
    from mapped

),

ranked as (

    select
        *,
        case
            when township_in_scope
                then row_number() over (
                    partition by event_id, township_code, township_in_scope
                    order by source_priority asc, revision_rank desc, load_id desc, row_number asc
                )
        end as event_rank,
        count(*) over (partition by event_id, township_code) as source_rows
    from checked

)

select
    source_dataset,
    source_priority,
    event_id,
    township_code,
    hazard,
    hazard_label,
    hazard_code,
    started_on,
    ended_on,
    affected_person_times,
    deaths,
    missing,
    injured,
    relocated_person_times,
    needing_aid_person_times,
    crop_affected_ha,
    crop_damaged_ha,
    crop_lost_ha,
    houses_collapsed,
    houses_severely_damaged,
    houses_damaged,
    direct_loss,
    report_stage,
    year,
    period,
    revision,
    revision_rank,
    load_id,
    file_path,
    sheet,
    row_number,
    township_in_scope,
    event_rank,
    source_rows,
    coalesce(event_rank = 1, false) as is_kept
from ranked
