{#- The accident industry domain (industries seed), with the sector dataset that defaults to it. -#}
with industries as (

    select * from {{ ref('industries') }}

)

select
    industry,
    name_en,
    sort_order,
    default_for_dataset
from industries
