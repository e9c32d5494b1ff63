{#
    `analyze` of the relation just built, for tables, incremental models and seeds (views have no
    statistics). Used as a project-wide post-hook in dbt_project.yml.
#}
{% macro analyze_table() -%}
    {%- if model.config.materialized in ('table', 'incremental', 'seed') -%}
        analyze {{ this }}
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}
