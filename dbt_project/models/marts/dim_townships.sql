{#- Townships of statistical code 500110 from the townships seed, with the in-scope flag (本级). -#}
with townships as (

    select * from {{ ref('townships') }}

)

select
    code9 as township_code,
    code9,
    code12,
    name,
    kind,
    scope,
    valid_from,
    note,
    scope = '本级' as in_scope,
    case
        when coalesce(aliases, '') = '' then cast([] as varchar[])
        else string_split(aliases, '|')
    end as aliases,
    coalesce(reserve_standard = 'yes', false) as reserve_standard
from townships
