-- 受害森林面积 never exceeds 过火面积 (the loader quarantines such rows; this guards the mart).
select
    fire_id,
    burned_area_ha,
    damaged_forest_ha
from {{ ref('fct_forest_fires') }}
where damaged_forest_ha > burned_area_ha
