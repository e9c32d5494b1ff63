{#
    The value of an indicator from its pooled numerator and denominator:
    numerator * multiplier / denominator, null when the denominator is 0 or missing (never a division
    error, never 0), and the numerator itself for plain counts (multiplier null).
    Cast to numeric(14,2): the published precision, and what unit tests compare as text.
#}
{% macro indicator_value(numerator, denominator, multiplier, is_count) -%}
    cast(
        case
            when {{ is_count }} then {{ numerator }}
            when {{ denominator }} is null or {{ denominator }} = 0 then null
            else {{ numerator }} * {{ multiplier }} / {{ denominator }}
        end
        as numeric(14, 2)
    )
{%- endmacro %}
