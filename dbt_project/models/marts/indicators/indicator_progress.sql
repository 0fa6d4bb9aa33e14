-- Progress of each indicator with a target against the plan, for the district, for every as-of
-- year from plan_start to min(plan_end, last year with data). The judged figure depends on
-- judged_on (annual value, running mean of yearly values, running sum, or % change against the
-- baseline year); the status rules are those of the glossary, with linear shares of the target
-- (years elapsed / plan length) before the end year.
with catalog as (

    select
        indicator_code,
        name_zh,
        unit,
        judged_on,
        comparison,
        target,
        baseline_year,
        plan_start,
        plan_end,
        plan_end - plan_start + 1 as plan_years
    from {{ ref('indicator_catalog') }}
    where target is not null and comparison is not null

),

district_values as (

    select
        v.indicator_code,
        v.year,
        v.value
    from {{ ref('indicator_values') }} as v
    inner join {{ ref('deployment') }} as d on v.area_code = d.district_code

),

last_data_year as (

    select max(year) as last_year from {{ ref('indicator_values') }}

),

as_of as (

    select
        c.*,
        cast(unnest(generate_series(c.plan_start, least(c.plan_end, l.last_year))) as integer) as as_of_year
    from catalog as c
    cross join last_data_year as l
    where l.last_year is not null

),

running as (

    select
        a.indicator_code,
        a.as_of_year,
        count(v.value) as years_with_value,
        avg(v.value) as running_mean,
        sum(v.value) as running_sum
    from as_of as a
    left join district_values as v
        on a.indicator_code = v.indicator_code and v.year between a.plan_start and a.as_of_year
    group by a.indicator_code, a.as_of_year

),

figures as (

    select
        a.*,
        a.as_of_year - a.plan_start + 1 as years_elapsed,
        a.as_of_year = a.plan_end as is_end_year,
        r.years_with_value = a.as_of_year - a.plan_start + 1 as is_complete,
        r.running_mean,
        r.running_sum,
        cur.value as year_value,
        base.value as baseline_value
    from as_of as a
    inner join running as r on a.indicator_code = r.indicator_code and a.as_of_year = r.as_of_year
    left join district_values as cur on a.indicator_code = cur.indicator_code and a.as_of_year = cur.year
    left join district_values as base on a.indicator_code = base.indicator_code and a.baseline_year = base.year

),

judged as (

    select
        *,
        case judged_on
            when 'annual' then year_value
            when 'plan_mean' then case when is_complete then running_mean end
            when 'plan_sum' then case when is_complete then running_sum end
            when 'change_vs_baseline'
                then (year_value - baseline_value) / nullif(baseline_value, 0) * 100
        end as judged_value,
        -- the part of the target due by the as-of year (linear share), for quotas and changes
        target * (as_of_year - plan_start + 1) / plan_years as linear_share
    from figures

),

statuses as (

    select
        *,
        case
            when judged_value is null then 'no_data'
            when judged_on = 'annual'
                then case when {{ satisfies('judged_value', 'comparison', 'target') }} then 'met' else 'not_met' end
            when judged_on = 'plan_mean' and is_end_year
                then case when {{ satisfies('judged_value', 'comparison', 'target') }} then 'met' else 'not_met' end
            when judged_on = 'plan_mean'
                then
                    case when {{ satisfies('judged_value', 'comparison', 'target') }} then 'on_track' else 'at_risk' end
            -- a ceiling: once exceeded it cannot come back; reaching it before the end is a risk
            when judged_on = 'plan_sum' and comparison in ('<=', '<')
                then case
                    when not {{ satisfies('judged_value', 'comparison', 'target') }} then 'not_met'
                    when is_end_year then 'met'
                    when judged_value = target then 'at_risk'
                    else 'on_track'
                end
            -- a quota: met once reached; before the end judged against the linear share
            when judged_on = 'plan_sum'
                then case
                    when {{ satisfies('judged_value', 'comparison', 'target') }} then 'met'
                    when is_end_year then 'not_met'
                    when {{ satisfies('judged_value', 'comparison', 'linear_share') }} then 'on_track'
                    else 'at_risk'
                end
            when judged_on = 'change_vs_baseline' and is_end_year
                then case when {{ satisfies('judged_value', 'comparison', 'target') }} then 'met' else 'not_met' end
            when judged_on = 'change_vs_baseline'
                then case
                    when {{ satisfies('judged_value', 'comparison', 'linear_share') }} then 'on_track'
                    else 'at_risk'
                end
        end as status
    from judged

)

select
    indicator_code,
    as_of_year,
    cast(judged_value as double) as value,
    cast(target as double) as target_value,
    comparison,
    status,
    judged_on,
    years_elapsed,
    plan_years,
    plan_start,
    plan_end,
    cast(year_value as double) as year_value,
    baseline_year,
    cast(baseline_value as double) as baseline_value,
    cast(case when judged_on in ('plan_sum', 'change_vs_baseline') then linear_share end as double)
        as linear_share_target,
    unit,
    name_zh
from statuses
