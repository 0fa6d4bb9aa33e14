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
  sector dataset defaulted) is no disagreement. Values are VARCHAR; dataset, load_id, file_path and row_number locate the row not counted (or
  the accident graded).
-#}
{%- set accident_fields = ['occurred_at', 'township_code', 'industry', 'deaths', 'missing',
                           'serious_injuries', 'direct_loss', 'reported_grade'] -%}
{%- set fire_fields = ['ignited_at', 'township_code', 'burned_area_ha', 'damaged_forest_ha',
                       'deaths', 'serious_injuries', 'direct_loss'] -%}
{%- set event_fields = ['hazard_code', 'started_on', 'ended_on', 'affected_person_times',
                        'deaths', 'missing', 'direct_loss', 'relocated_person_times',
                        'houses_collapsed'] -%}

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

accident_pairs as (

    select
        other.* replace (
            case when other.industry_defaulted then null else other.industry end as industry
        ),
        kept.source_dataset as kept_dataset,
        {%- for f in accident_fields %}
        {%- if f == 'industry' %}
        case when kept.industry_defaulted then null else kept.industry end as kept_industry,
        {%- else %}
        kept.{{ f }} as kept_{{ f }}{{ ',' if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from accidents as other
    inner join accidents as kept
        on other.accident_id = kept.accident_id and kept.is_kept
    where not other.is_kept and other.township_in_scope

),

accident_duplicates as (

    {%- for f in accident_fields %}
    select
        'accident_duplicate' as kind,
        source_dataset as dataset,
        accident_id as record_key,
        kept_township_code as township_code,
        '{{ f }}' as field,
        cast(kept_{{ f }} as varchar) as kept_value,
        cast({{ f }} as varchar) as other_value,
        kept_dataset,
        year,
        load_id,
        file_path,
        row_number,
        '同一事故编号在多个来源中数值不一致，按“' || {{ dataset_name_zh('kept_dataset') }} || '”计' as note
    from accident_pairs
    where {{ f }} <> kept_{{ f }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

fire_pairs as (

    select
        other.*,
        {%- for f in fire_fields %}
        kept.{{ f }} as kept_{{ f }}{{ ',' if not loop.last }}
        {%- endfor %}
    from fires as other
    inner join fires as kept
        on other.fire_id = kept.fire_id and kept.is_kept
    where not other.is_kept and other.township_in_scope

),

fire_duplicates as (

    {%- for f in fire_fields %}
    select
        'fire_duplicate' as kind,
        'forest_fires' as dataset,
        fire_id as record_key,
        kept_township_code as township_code,
        '{{ f }}' as field,
        cast(kept_{{ f }} as varchar) as kept_value,
        cast({{ f }} as varchar) as other_value,
        'forest_fires' as kept_dataset,
        year,
        load_id,
        file_path,
        row_number,
        '同一火灾编号出现在多个文件中且数值不一致，按最新版次计' as note
    from fire_pairs
    where {{ f }} <> kept_{{ f }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

),

event_pairs as (

    select
        other.*,
        kept.source_dataset as kept_dataset,
        {%- for f in event_fields %}
        kept.{{ f }} as kept_{{ f }},
        {%- endfor %}
        (
            {%- for f in event_fields %}
            coalesce(other.{{ f }} <> kept.{{ f }}, false){{ ' or' if not loop.last }}
            {%- endfor %}
        ) as any_difference
    from events as other
    inner join events as kept
        on
            other.event_id = kept.event_id
            and other.township_code = kept.township_code
            and kept.is_kept
    where not other.is_kept and other.township_in_scope

),

event_overrides as (

    {%- for f in event_fields %}
    select
        'event_overridden' as kind,
        source_dataset as dataset,
        event_id as record_key,
        township_code,
        '{{ f }}' as field,
        cast(kept_{{ f }} as varchar) as kept_value,
        cast({{ f }} as varchar) as other_value,
        kept_dataset,
        year,
        load_id,
        file_path,
        row_number,
        '该灾情（事件、街镇）已由“' || {{ dataset_name_zh('kept_dataset') }} || '”报送，本行不计入，数值不一致' as note
    from event_pairs
    where {{ f }} <> kept_{{ f }}
    union all
    {%- endfor %}
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
    from event_pairs
    where not any_difference

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
        string_agg(f.fire_id, ', ' order by f.fire_id) as other_value,
        e.source_dataset as kept_dataset,
        e.year,
        e.load_id,
        e.file_path,
        e.row_number,
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
    group by all

),

out_of_scope as (

    select
        'out_of_scope' as kind,
        source_dataset as dataset,
        accident_id as record_key,
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
    from accidents
    where not township_in_scope
    union all
    select
        'out_of_scope' as kind,
        'forest_fires' as dataset,
        fire_id as record_key,
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
    from fires
    where not township_in_scope
    union all
    select
        'out_of_scope' as kind,
        source_dataset as dataset,
        event_id as record_key,
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
    from events
    where not township_in_scope

),

unioned as (

    select * from event_overrides
    union all
    select * from accident_duplicates
    union all
    select * from fire_duplicates
    union all
    select * from grade_mismatches
    union all
    select * from forest_fires_as_disasters
    union all
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
