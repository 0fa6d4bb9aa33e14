{#-
  Current forest-fire rows with the de-duplication decision: a fire_id counts once (the same fire
  in two year files: the latest revision, then the latest load). Rows outside the district's
  scope never win.
-#}
with fires as (

    select * from {{ ref('stg_forestry__forest_fires') }}

),

townships as (

    select
        code9,
        scope = '本级' as in_scope
    from {{ ref('townships') }}

),

enriched as (

    select
        f.*,
        coalesce(t.in_scope, false) as township_in_scope
    from fires as f
    left join townships as t on f.township_code = t.code9

),

ranked as (

    select
        *,
        case
            when township_in_scope
                then row_number() over (
                    partition by fire_id, township_in_scope
                    order by revision_rank desc, load_id desc, row_number asc
                )
        end as fire_rank,
        count(*) over (partition by fire_id) as source_rows
    from enriched

)

select
    fire_id,
    ignited_at,
    extinguished_at,
    township_code,
    burned_area_ha,
    damaged_forest_ha,
    deaths,
    serious_injuries,
    minor_injuries,
    direct_loss,
    other_forest_land,
    year,
    period,
    revision,
    revision_rank,
    load_id,
    file_path,
    sheet,
    row_number,
    township_in_scope,
    fire_rank,
    source_rows,
    coalesce(fire_rank = 1, false) as is_kept
from ranked
