{#-
  Grade of one record under a rule set of the `grading` seed, as a scalar subquery.

  A grade is reached when ANY of its criteria is reached ("X以上" includes X); the highest grade
  reached applies. A bound left blank in the seed is not a criterion of that grade, and a figure
  that is NULL reaches nothing. Missing persons (失踪) are never a criterion.

  rule_set: a SQL expression giving the rule set, e.g. "'production_accident'" or a column.
  The other arguments are SQL expressions for the record's figures; omit the ones the rule set
  does not use. Returns NULL when no grade is reached (e.g. every figure NULL).
-#}
{% macro grade(rule_set, deaths=none, serious_injuries=none, direct_loss=none, damaged_forest_ha=none) -%}
(
    select arg_max(g.grade, g.rank)
    from {{ ref('grading') }} as g
    where
        g.rule_set = {{ rule_set }}
        and (
            {{ deaths if deaths is not none else 'null' }} >= g.deaths_at_least
            or {{ serious_injuries if serious_injuries is not none else 'null' }} >= g.serious_injuries_at_least
            or {{ direct_loss if direct_loss is not none else 'null' }} >= g.direct_loss_10k_yuan_at_least
            or {{ damaged_forest_ha if damaged_forest_ha is not none else 'null' }} >= g.damaged_forest_ha_at_least
        )
)
{%- endmacro %}

{#- Rank of the grade returned by grade() (1 = lowest), for ordering and "较大及以上" filters. -#}
{% macro grade_rank(rule_set, grade_expr) -%}
(
    select g.rank
    from {{ ref('grading') }} as g
    where g.rule_set = {{ rule_set }} and g.grade = {{ grade_expr }}
)
{%- endmacro %}
