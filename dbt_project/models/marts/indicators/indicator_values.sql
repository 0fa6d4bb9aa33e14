-- The rows of int_indicator_values, stored in the order the boards read them: the district's rows
-- together, then one indicator and year at a time. DuckDB skips row groups by their min/max, so at
-- national scale (7 million rows) a board query reads a few row groups, not the whole table.
select
    indicator_code,
    year,
    area_code,
    value,
    numerator,
    denominator,
    flags,
    area_level,
    unit,
    name_zh,
    value_kind,
    inputs_loaded
from {{ ref('int_indicator_values') }}
order by area_level, indicator_code, year, area_code
