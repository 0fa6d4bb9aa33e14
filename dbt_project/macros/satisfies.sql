{#-
  Whether `value` satisfies `comparison` against `target`, where comparison is data (the
  catalog's '<=', '>=', '<' or '>'): '<=' and '>=' include equality, '<' and '>' are strict.
  NULL when any operand is NULL.
-#}
{% macro satisfies(value, comparison, target) -%}
    case {{ comparison }}
        when '<=' then {{ value }} <= {{ target }}
        when '>=' then {{ value }} >= {{ target }}
        when '<' then {{ value }} < {{ target }}
        when '>' then {{ value }} > {{ target }}
    end
{%- endmacro %}
