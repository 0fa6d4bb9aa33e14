{#-
  Chinese name of an event dataset (from its contract's name_zh), for messages bureau users read.
  Falls back to the dataset name.
-#}
{% macro dataset_name_zh(dataset_expr) -%}
    case {{ dataset_expr }}
        when 'production_accidents' then '生产安全事故台账'
        when 'road_traffic_accidents' then '道路交通事故'
        when 'waterway_accidents' then '水上交通事故'
        when 'construction_accidents' then '建设施工事故'
        when 'disaster_reports' then '自然灾害灾情统计（核报）'
        when 'geohazard_events' then '地质灾害灾情'
        when 'flood_drought_events' then '洪旱灾害灾情'
        when 'weather_disasters' then '气象灾害灾情'
        when 'forest_fires' then '森林火灾'
        else {{ dataset_expr }}
    end
{%- endmacro %}
