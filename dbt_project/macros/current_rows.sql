{#-
  Current rows of one raw landing table: rows of files whose ledger status is 'loaded'.
  Where a key is present in several current files of the dataset within one year (a year file
  beside month or quarter files), it is taken once: from the file with the longest period, then
  the highest revision rank, then the latest load. Files of different years never nest, so the
  year of the file's period is part of the partition (a team on the 2021 and 2022 rosters
  counts in both years).
-#}
{% macro current_rows(dataset, key) -%}
with current_files as (
    select
        load_id,
        period,
        period_start,
        period_end,
        revision,
        revision_rank
    from {{ source('audit', 'load_ledger') }}
    where status = 'loaded' and dataset = '{{ dataset }}'
),

ranked as (
    select
        r.*,
        f.period,
        f.period_start,
        f.revision,
        f.revision_rank,
        row_number() over (
            partition by {% for k in key %}r."{{ k }}", {% endfor %}year(f.period_start)
            order by
                f.period_end - f.period_start desc,
                f.revision_rank desc,
                r._load_id desc,
                r._row_number asc
        ) as _key_rank
    from {{ source('raw', dataset) }} as r
    inner join current_files as f on r._load_id = f.load_id
)

select * exclude (_key_rank) from ranked where _key_rank = 1
{%- endmacro %}
