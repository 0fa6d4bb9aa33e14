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
        trim(alias.wording) as wording,
        label,
        category,
        gb_code,
        'alias' as wording_kind
    from hazards,
        unnest(string_split(coalesce(aliases, ''), '|')) as alias (wording)
    where trim(alias.wording) <> ''

)

select wording, label, category, gb_code, wording_kind from labels
union all
select wording, label, category, gb_code, wording_kind from aliases
