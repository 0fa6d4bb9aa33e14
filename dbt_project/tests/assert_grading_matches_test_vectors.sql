-- Every row of the grading_test_vectors seed (all rule sets) graded by the grade() macro must
-- get its expected grade. Returns the mismatches.
with vectors as (

    select * from {{ ref('grading_test_vectors') }}

),

graded as (

    select
        v.rule_set,
        v."case" as case_number,
        v.expected_grade,
        {{ grade('v.rule_set',
                 deaths='v.deaths',
                 serious_injuries='v.serious_injuries',
                 direct_loss='v.direct_loss_10k_yuan',
                 damaged_forest_ha='v.damaged_forest_ha') }} as computed_grade
    from vectors as v

)

select *
from graded
where computed_grade is distinct from expected_grade
