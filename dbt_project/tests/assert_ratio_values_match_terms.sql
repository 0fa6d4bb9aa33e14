-- Every ratio or mean value equals numerator × scale / denominator; a zero denominator gives NULL.
select
    v.indicator_code,
    v.year,
    v.area_code,
    v.value,
    v.numerator,
    v.denominator
from {{ ref('indicator_values') }} as v
inner join {{ ref('indicator_formulas') }} as f on v.indicator_code = f.indicator_code
where
    f.value_kind in ('ratio', 'mean')
    and v.inputs_loaded
    and (
        (v.denominator = 0 and v.value is not null)
        or (
            v.denominator != 0
            and abs(v.value - v.numerator * f.scale / v.denominator) > 1e-9 * greatest(1, abs(v.value))
        )
    )
