{#-
  One row per forest fire, graded with the forest_fire rule set of the grading seed: damaged
  forest area (受害森林面积, never 过火面积), deaths and serious injuries; every fire is at least
  一般 (damaged forest under 1 ha or other forest land caught fire).
-#}
with kept as (

    select * from {{ ref('int_forest_fires') }}
    where is_kept

),

graded as (

    select
        kept.*,
        {{ grade("'forest_fire'",
                 deaths='kept.deaths',
                 serious_injuries='kept.serious_injuries',
                 damaged_forest_ha='kept.damaged_forest_ha') }} as computed_grade
    from kept

)

select
    fire_id,
    ignited_at,
    township_code,
    burned_area_ha,
    damaged_forest_ha,
    deaths,
    serious_injuries,
    computed_grade as grade,
    year,
    extinguished_at,
    minor_injuries,
    direct_loss,
    other_forest_land,
    {{ grade_rank("'forest_fire'", 'computed_grade') }} as grade_rank,
    source_rows,
    revision,
    load_id,
    file_path,
    sheet,
    row_number
from graded
