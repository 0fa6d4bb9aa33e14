{#-
  Every wording of a hazard the hazards seed knows (its label and each alias, '|'-separated),
  with the hazard it stands for and its GB/T 28921 code.
-#}
with hazards as (

    select
        label,
        aliases,
        category,
        gb_code
    from {{ ref('hazards') }}

),

labels as (

    select
        label as wording,
        label,
        category,
        gb_code,
        'label' as wording_kind
    from hazards

),

aliases as (

    select
        hazards.label,
        hazards.category,
        hazards.gb_code,
        'alias' as wording_kind,
        trim(split_alias.alias_text) as wording
    from hazards,
        unnest(string_split(coalesce(hazards.aliases, ''), '|')) as split_alias (alias_text)
    where trim(split_alias.alias_text) <> ''

)

select
    wording,
    label,
    category,
    gb_code,
    wording_kind
from labels
union all
select
    wording,
    label,
    category,
    gb_code,
    wording_kind
from aliases
