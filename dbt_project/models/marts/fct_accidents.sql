{#-
  One row per production-safety accident after de-duplication across the four accident datasets
  (int_accidents: production_accidents wins, then the latest revision). The grade is computed from
  deaths, serious injuries and direct loss with the production_accident rule set of the grading
  seed; missing persons do not count.
-#}
with kept as (

    select * from {{ ref('int_accidents') }}
    where is_kept

),

graded as (

    select
        kept.*,
        {{ grade("'production_accident'",
                 deaths='kept.deaths',
                 serious_injuries='kept.serious_injuries',
                 direct_loss='kept.direct_loss') }} as computed_grade
    from kept

)

select
    accident_id,
    occurred_at,
    township_code,
    industry,
    deaths,
    serious_injuries,
    direct_loss,
    computed_grade as grade,
    reported_grade,
    source_dataset,
    year,
    missing,
    minor_injuries,
    accident_type,
    commercial,
    {{ grade_rank("'production_accident'", 'computed_grade') }} as grade_rank,
    source_rows,
    revision,
    load_id,
    file_path,
    sheet,
    row_number
from graded
