{#
    Custom schemas are used verbatim: `+schema: marts` builds in `marts`, not `<target>_marts`.
    The warehouse's schemas are public interfaces (shared/spec/warehouse.md), so they must not
    depend on the target. Nodes without a custom schema go to the target schema (`staging`).
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
