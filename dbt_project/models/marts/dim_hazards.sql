{#- Hazards of the hazards seed with their GB/T 28921 code, aliases and grading rule set. -#}
with hazards as (

    select * from {{ ref('hazards') }}

),

rule_sets as (

    select
        hazard_label,
        rule_set
    from {{ ref('hazard_rule_sets') }}

)

select
    h.gb_code as hazard_code,
    h.label as hazard_label,
    h.category,
    rs.rule_set as grading_rule_set,
    h.note,
    case
        when coalesce(h.aliases, '') = '' then cast([] as varchar[])
        else string_split(h.aliases, '|')
    end as aliases
from hazards as h
left join rule_sets as rs on h.label = rs.hazard_label
