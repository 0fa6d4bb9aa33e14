-- In-scope townships valid in each year of the spine: scope from the deployment seed, a
-- township counts from its valid_from year (通惠街道 from 2020, so 2019 has 20 townships).
-- A view: incremental builds select only what is downstream of changed raw sources, and these
-- depend on the ledger and on the year spine, so they are recomputed whenever a mart reads them.
{{ config(materialized='view') }}

with deployment as (

    select
        district_code,
        township_scope
    from {{ ref('deployment') }}

),

townships as (

    select
        t.code9 as township_code,
        t.name as township_name,
        t.valid_from,
        coalesce(t.reserve_standard = 'yes', false) as reserve_standard
    from {{ ref('townships') }} as t
    inner join deployment as d on t.scope = d.township_scope

),

years as (

    select year from {{ ref('int_years') }}

)

select
    y.year,
    t.township_code,
    t.township_name,
    t.reserve_standard
from years as y
inner join townships as t
    on t.valid_from is null or y.year >= t.valid_from
