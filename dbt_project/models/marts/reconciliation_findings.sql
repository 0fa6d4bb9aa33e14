{#-
  One row per disagreement between sources, for the bureau to reconcile.

  kind                      one row per ...
  event_overridden          row of an (event_id, township) not counted because an earlier source
                            (disaster_reports, then geohazard_events, flood_drought_events,
                            weather_disasters) has it: one row per compared field that differs;
                            when every compared field agrees, one row with field NULL (the row is
                            still not counted, and the bureau may want to know it was sent twice)
  accident_duplicate        row of an accident_id not counted because another row of it wins
                            (production_accidents, then the latest revision): one row per
                            differing field; identical duplicates are not findings
  fire_duplicate            the same for a fire_id in several current forest-fire files
  grade_mismatch            accident whose reported grade differs from the computed grade
  forest_fire_as_disaster   disaster event worded 森林火灾: it counts as a disaster event (through
                            disaster_reports) and the fire separately in fct_forest_fires; the
                            fires of the same township and day are named for cross-checking
  out_of_scope              row whose township is not governed by the district (never counted)

  A field is compared only where both rows have it: a blank optional value (or an industry the
  sector dataset defaulted) is no disagreement. Values are VARCHAR; dataset, load_id, file_path
  and row_number locate the row not counted (or the accident graded).
-#}
with accidents as (

    select * from {{ ref('int_accidents') }}

),

fires as (

    select * from {{ ref('int_forest_fires') }}

),

events as (

    select * from {{ ref('int_disaster_events') }}

),

graded_accidents as (

    select * from {{ ref('fct_accidents') }}

),

graded_fires as (

    select * from {{ ref('fct_forest_fires') }}

),

-- accident rows not counted, each with its fields beside the counted row's
accident_fields as (

    select
        other.source_dataset,
        other.accident_id,
        other.year,
        other.load_id,
        other.file_path,
        other.row_number,
        kept.source_dataset as kept_dataset,
        kept.township_code as kept_township_code,
        unnest([
            {
                'field': 'occurred_at',
                'kept': cast(kept.occurred_at as varchar),
                'other': cast(other.occurred_at as varchar)
            },
            { 'field': 'township_code', 'kept': kept.township_code, 'other': other.township_code },
            {
                'field': 'industry',
                'kept': case when kept.industry_defaulted then null else kept.industry end,
                'other': case when other.industry_defaulted then null else other.industry end
            },
            { 'field': 'deaths', 'kept': cast(kept.deaths as varchar), 'other': cast(other.deaths as varchar) },
            { 'field': 'missing', 'kept': cast(kept.missing as varchar), 'other': cast(other.missing as varchar) },
            {
                'field': 'serious_injuries',
                'kept': cast(kept.serious_injuries as varchar),
                'other': cast(other.serious_injuries as varchar)
            },
            {
                'field': 'direct_loss',
                'kept': cast(kept.direct_loss as varchar),
                'other': cast(other.direct_loss as varchar)
            },
            { 'field': 'reported_grade', 'kept': kept.reported_grade, 'other': other.reported_grade }
        ]) as compared
    from accidents as other
    inner join accidents as kept
        on other.accident_id = kept.accident_id and kept.is_kept
    where not other.is_kept and other.township_in_scope

),

accident_duplicates as (

    select
        'accident_duplicate' as kind,
        source_dataset as dataset,
        accident_id as record_key,
        kept_township_code as township_code,
        compared['field'] as field,
        compared['kept'] as kept_value,
        compared['other'] as other_value,
        kept_dataset,
        year,
        load_id,
        file_path,
        row_number,
        '同一事故编号在多个来源中数值不一致，按“' || {{ dataset_name_zh('kept_dataset') }} || '”计' as note
    from accident_fields
    where compared['kept'] <> compared['other']

),

fire_fields as (

    select
        other.fire_id,
        other.year,
        other.load_id,
        other.file_path,
        other.row_number,
        kept.township_code as kept_township_code,
        unnest([
            {
                'field': 'ignited_at',
                'kept': cast(kept.ignited_at as varchar),
                'other': cast(other.ignited_at as varchar)
            },
            { 'field': 'township_code', 'kept': kept.township_code, 'other': other.township_code },
            {
                'field': 'burned_area_ha',
                'kept': cast(kept.burned_area_ha as varchar),
                'other': cast(other.burned_area_ha as varchar)
            },
            {
                'field': 'damaged_forest_ha',
                'kept': cast(kept.damaged_forest_ha as varchar),
                'other': cast(other.damaged_forest_ha as varchar)
            },
            { 'field': 'deaths', 'kept': cast(kept.deaths as varchar), 'other': cast(other.deaths as varchar) },
            {
                'field': 'serious_injuries',
                'kept': cast(kept.serious_injuries as varchar),
                'other': cast(other.serious_injuries as varchar)
            },
            {
                'field': 'direct_loss',
                'kept': cast(kept.direct_loss as varchar),
                'other': cast(other.direct_loss as varchar)
            }
        ]) as compared
    from fires as other
    inner join fires as kept
        on other.fire_id = kept.fire_id and kept.is_kept
    where not other.is_kept and other.township_in_scope

),

fire_duplicates as (

    select
        'fire_duplicate' as kind,
        'forest_fires' as dataset,
        fire_id as record_key,
        kept_township_code as township_code,
        compared['field'] as field,
        compared['kept'] as kept_value,
        compared['other'] as other_value,
        'forest_fires' as kept_dataset,
        year,
        load_id,
        file_path,
        row_number,
        '同一火灾编号出现在多个文件中且数值不一致，按最新版次计' as note
    from fire_fields
    where compared['kept'] <> compared['other']

),

event_fields as (

    select
        other.source_dataset,
        other.event_id,
        other.township_code,
        other.year,
        other.load_id,
        other.file_path,
        other.row_number,
        kept.source_dataset as kept_dataset,
        [
            { 'field': 'hazard_code', 'kept': kept.hazard_code, 'other': other.hazard_code },
            {
                'field': 'started_on',
                'kept': cast(kept.started_on as varchar),
                'other': cast(other.started_on as varchar)
            },
            { 'field': 'ended_on', 'kept': cast(kept.ended_on as varchar), 'other': cast(other.ended_on as varchar) },
            {
                'field': 'affected_person_times',
                'kept': cast(kept.affected_person_times as varchar),
                'other': cast(other.affected_person_times as varchar)
            },
            { 'field': 'deaths', 'kept': cast(kept.deaths as varchar), 'other': cast(other.deaths as varchar) },
            { 'field': 'missing', 'kept': cast(kept.missing as varchar), 'other': cast(other.missing as varchar) },
            {
                'field': 'direct_loss',
                'kept': cast(kept.direct_loss as varchar),
                'other': cast(other.direct_loss as varchar)
            },
            {
                'field': 'relocated_person_times',
                'kept': cast(kept.relocated_person_times as varchar),
                'other': cast(other.relocated_person_times as varchar)
            },
            {
                'field': 'houses_collapsed',
                'kept': cast(kept.houses_collapsed as varchar),
                'other': cast(other.houses_collapsed as varchar)
            }
        ] as compared_fields
    from events as other
    inner join events as kept
        on
            other.event_id = kept.event_id
            and other.township_code = kept.township_code
            and kept.is_kept
    where not other.is_kept and other.township_in_scope

),

event_differences as (

    select
        source_dataset,
        event_id,
        township_code,
        year,
        load_id,
        file_path,
        row_number,
        kept_dataset,
        list_filter(compared_fields, c -> c['kept'] <> c['other']) as differences
    from event_fields

),

event_difference_rows as (

    select
        ed.source_dataset,
        ed.event_id,
        ed.township_code,
        ed.year,
        ed.load_id,
        ed.file_path,
        ed.row_number,
        ed.kept_dataset,
        unnest(ed.differences) as difference
    from event_differences as ed

),

event_overrides as (

    select
        'event_overridden' as kind,
        source_dataset as dataset,
        event_id as record_key,
        township_code,
        difference['field'] as field,
        difference['kept'] as kept_value,
        difference['other'] as other_value,
        kept_dataset,
        year,
        load_id,
        file_path,
        row_number,
        '该灾情（事件、街镇）已由“' || {{ dataset_name_zh('kept_dataset') }} || '”报送，本行不计入，数值不一致' as note
    from event_difference_rows
    union all
    select
        'event_overridden' as kind,
        source_dataset as dataset,
        event_id as record_key,
        township_code,
        cast(null as varchar) as field,
        cast(null as varchar) as kept_value,
        cast(null as varchar) as other_value,
        kept_dataset,
        year,
        load_id,
        file_path,
        row_number,
        '该灾情（事件、街镇）已由“' || {{ dataset_name_zh('kept_dataset') }} || '”报送，本行不计入，数值一致' as note
    from event_differences
    where len(differences) = 0

),

grade_mismatches as (

    select
        'grade_mismatch' as kind,
        source_dataset as dataset,
        accident_id as record_key,
        township_code,
        'grade' as field,
        grade as kept_value,
        reported_grade as other_value,
        source_dataset as kept_dataset,
        year,
        load_id,
        file_path,
        row_number,
        '上报等级为' || reported_grade || '，按死亡、重伤、直接经济损失计算为' || grade as note
    from graded_accidents
    where reported_grade is not null and reported_grade <> grade

),

fire_events as (

    select * from events
    where is_kept and hazard_label = '森林火灾'

),

forest_fires_as_disasters as (

    select
        'forest_fire_as_disaster' as kind,
        e.source_dataset as dataset,
        e.event_id as record_key,
        e.township_code,
        'fire_id' as field,
        cast(null as varchar) as kept_value,
        e.source_dataset as kept_dataset,
        e.year,
        e.load_id,
        e.file_path,
        e.row_number,
        string_agg(f.fire_id, ', ' order by f.fire_id) as other_value,
        case
            when count(f.fire_id) = 0
                then '灾情报送了森林火灾，但森林火灾统计中无同街镇同日的火灾'
            else '灾情报送了森林火灾，按灾情计入；火灾另计入森林火灾统计'
        end as note
    from fire_events as e
    left join graded_fires as f
        on
            e.township_code = f.township_code
            and e.started_on = cast(f.ignited_at as date)
    group by
        e.source_dataset,
        e.event_id,
        e.township_code,
        e.year,
        e.load_id,
        e.file_path,
        e.row_number

),

out_of_scope_rows as (

    select
        source_dataset as dataset,
        accident_id as record_key,
        township_code,
        year,
        load_id,
        file_path,
        row_number
    from accidents
    where not township_in_scope
    union all
    select
        'forest_fires' as dataset,
        fire_id as record_key,
        township_code,
        year,
        load_id,
        file_path,
        row_number
    from fires
    where not township_in_scope
    union all
    select
        source_dataset as dataset,
        event_id as record_key,
        township_code,
        year,
        load_id,
        file_path,
        row_number
    from events
    where not township_in_scope

),

out_of_scope as (

    select
        'out_of_scope' as kind,
        dataset,
        record_key,
        township_code,
        'township_code' as field,
        cast(null as varchar) as kept_value,
        township_code as other_value,
        cast(null as varchar) as kept_dataset,
        year,
        load_id,
        file_path,
        row_number,
        '街镇不属本级（区政府管辖范围外），不计入' as note
    from out_of_scope_rows

),

unioned as (

    select * from event_overrides
    union all by name
    select * from accident_duplicates
    union all by name
    select * from fire_duplicates
    union all by name
    select * from grade_mismatches
    union all by name
    select * from forest_fires_as_disasters
    union all by name
    select * from out_of_scope

)

select
    kind,
    dataset,
    record_key,
    township_code,
    field,
    kept_value,
    other_value,
    kept_dataset,
    year,
    cast(load_id as bigint) as load_id,
    file_path,
    row_number,
    note
from unioned
