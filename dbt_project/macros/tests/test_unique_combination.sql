{#-
  Generic data test (part A models): no two rows share the values of `columns`.
  Usage: data_tests: [{unique_combination: {arguments: {columns: [event_id, township_code]}}}]
-#}
{% test unique_combination(model, columns) %}
select
    {{ columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
