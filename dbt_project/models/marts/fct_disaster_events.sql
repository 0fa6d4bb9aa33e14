{#-
  One row per counted natural-disaster event and township (int_disaster_events: disaster_reports
  first, then geohazard_events, flood_drought_events, weather_disasters). Hazards graded by a rule
  set of the grading seed (hazard_rule_sets: geohazards, Decree 394) carry that grade in
  geohazard_grade, computed from deaths and direct loss.
-#}
with kept as (

    select * from {{ ref('int_disaster_events') }}
    where is_kept

),

rule_sets as (

    select
        hazard_label,
        rule_set
    from {{ ref('hazard_rule_sets') }}

),

graded as (

    select
        kept.*,
        rs.rule_set as grading_rule_set,
        {{ grade('rs.rule_set',
                 deaths='kept.deaths',
                 direct_loss='kept.direct_loss') }} as computed_geohazard_grade
    from kept
    left join rule_sets as rs on kept.hazard_label = rs.hazard_label

)

select
    event_id,
    township_code,
    hazard,
    hazard_code,
    started_on,
    affected_person_times,
    deaths,
    missing,
    direct_loss,
    source_dataset,
    year,
    hazard_label,
    ended_on,
    injured,
    relocated_person_times,
    needing_aid_person_times,
    crop_affected_ha,
    crop_damaged_ha,
    crop_lost_ha,
    houses_collapsed,
    houses_severely_damaged,
    houses_damaged,
    computed_geohazard_grade as geohazard_grade,
    source_rows,
    revision,
    load_id,
    file_path,
    sheet,
    row_number
from graded
