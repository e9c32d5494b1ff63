{# First calendar year of a school year written `yyyy-yyyy` (the year ages are taken on 31 December of). #}
{% macro school_year_start(column) -%}
    cast(left({{ column }}, 4) as integer)
{%- endmacro %}

{#
    Administrative structure of a period, from the year whose 31 December is the period's reference
    date: `pre_2025` before the reform date (var reform_date), `post_2025` from it on.
#}
{% macro period_structure(year_expression) -%}
    case
        when make_date({{ year_expression }}, 12, 31) >= date '{{ var("reform_date") }}' then 'post_2025'
        else 'pre_2025'
    end
{%- endmacro %}
