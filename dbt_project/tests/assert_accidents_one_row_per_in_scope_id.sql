-- fct_accidents holds exactly one row per accident_id present in scope in any accident dataset,
-- with the figures of the row int_accidents kept. Returns ids missing, doubled or altered.
with expected as (

    select
        accident_id,
        deaths,
        serious_injuries,
        direct_loss
    from {{ ref('int_accidents') }}
    where is_kept

),

in_scope_ids as (

    select distinct accident_id
    from {{ ref('int_accidents') }}
    where township_in_scope

),

actual as (

    select
        accident_id,
        deaths,
        serious_injuries,
        direct_loss
    from {{ ref('fct_accidents') }}

)

select
    coalesce(i.accident_id, a.accident_id) as accident_id,
    'missing or extra' as problem
from in_scope_ids as i
full outer join actual as a on i.accident_id = a.accident_id
where i.accident_id is null or a.accident_id is null
union all
select
    accident_id,
    'figures differ from the kept row' as problem
from (
    select * from actual
    except
    select * from expected
) as altered
