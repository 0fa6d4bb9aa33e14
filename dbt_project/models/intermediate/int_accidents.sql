{#-
  Every current accident row of the four accident datasets, with the de-duplication decision.
  One accident_id counts once: production_accidents (the bureau's register) wins, then the latest
  revision (revision_rank), then the latest load (load_id). Rows outside the district's scope
  never win. A blank industry takes the sector dataset's default from the industries seed.
-#}
with production as (

    select
        'production_accidents' as source_dataset,
        1 as source_priority,
        accident_id,
        occurred_at,
        township_code,
        industry,
        accident_type,
        deaths,
        missing,
        serious_injuries,
        minor_injuries,
        direct_loss,
        reported_grade,
        cast(null as boolean) as commercial,
        year,
        period,
        revision,
        revision_rank,
        load_id,
        file_path,
        sheet,
        row_number
    from {{ ref('stg_emergency__production_accidents') }}

),

road as (

    select
        'road_traffic_accidents' as source_dataset,
        2 as source_priority,
        accident_id,
        occurred_at,
        township_code,
        industry,
        accident_type,
        deaths,
        missing,
        serious_injuries,
        minor_injuries,
        direct_loss,
        reported_grade,
        commercial,
        year,
        period,
        revision,
        revision_rank,
        load_id,
        file_path,
        sheet,
        row_number
    from {{ ref('stg_transport__road_traffic_accidents') }}

),

waterway as (

    select
        'waterway_accidents' as source_dataset,
        2 as source_priority,
        accident_id,
        occurred_at,
        township_code,
        industry,
        accident_type,
        deaths,
        missing,
        serious_injuries,
        minor_injuries,
        direct_loss,
        reported_grade,
        cast(null as boolean) as commercial,
        year,
        period,
        revision,
        revision_rank,
        load_id,
        file_path,
        sheet,
        row_number
    from {{ ref('stg_transport__waterway_accidents') }}

),

construction as (

    select
        'construction_accidents' as source_dataset,
        2 as source_priority,
        accident_id,
        occurred_at,
        township_code,
        industry,
        accident_type,
        deaths,
        missing,
        serious_injuries,
        minor_injuries,
        direct_loss,
        reported_grade,
        cast(null as boolean) as commercial,
        year,
        period,
        revision,
        revision_rank,
        load_id,
        file_path,
        sheet,
        row_number
    from {{ ref('stg_housing__construction_accidents') }}

),

unioned as (

    select * from production
    union all
    select * from road
    union all
    select * from waterway
    union all
    select * from construction

),

townships as (

    select
        code9,
        scope = '本级' as in_scope
    from {{ ref('townships') }}

),

industry_defaults as (

    select
        default_for_dataset,
        industry
    from {{ ref('industries') }}
    where default_for_dataset is not null

),

enriched as (

    select
        u.source_dataset,
        u.source_priority,
        u.accident_id,
        u.occurred_at,
        u.township_code,
        u.accident_type,
        u.deaths,
        u.missing,
        u.serious_injuries,
        u.minor_injuries,
        u.direct_loss,
        u.reported_grade,
        u.commercial,
        u.year,
        u.period,
        u.revision,
        u.revision_rank,
        u.load_id,
        u.file_path,
        u.sheet,
        u.row_number,
        coalesce(u.industry, d.industry) as industry,
        u.industry is null and d.industry is not null as industry_defaulted,
        coalesce(t.in_scope, false) as township_in_scope
    from unioned as u
    left join townships as t on u.township_code = t.code9
    left join industry_defaults as d on u.source_dataset = d.default_for_dataset

),

ranked as (

    select
        *,
        case
            when township_in_scope
                then row_number() over (
                    partition by accident_id, township_in_scope
                    order by source_priority asc, revision_rank desc, load_id desc, row_number asc
                )
        end as accident_rank,
        count(*) over (partition by accident_id) as source_rows
    from enriched

)

select
    source_dataset,
    source_priority,
    accident_id,
    occurred_at,
    township_code,
    industry,
    industry_defaulted,
    accident_type,
    deaths,
    missing,
    serious_injuries,
    minor_injuries,
    direct_loss,
    reported_grade,
    commercial,
    year,
    period,
    revision,
    revision_rank,
    load_id,
    file_path,
    sheet,
    row_number,
    township_in_scope,
    accident_rank,
    source_rows,
    coalesce(accident_rank = 1, false) as is_kept
from ranked
