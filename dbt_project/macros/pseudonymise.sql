{#
    Keyed hash (HMAC-SHA256, hex) of a personal identifier. The key comes from the environment
    (LCP_HMAC_KEY) and is never stored in the warehouse: without it the hash cannot be reversed by
    trying every possible 12-digit number. Same key, same hash: counts of distinct persons stay exact.
    Requires pgcrypto (installed by the warehouse bootstrap). Null in, null out.
#}
{% macro pseudonymise(column) -%}
    case
        when {{ column }} is null then null
        else encode(hmac({{ column }}::text, '{{ env_var("LCP_HMAC_KEY") }}', 'sha256'), 'hex')
    end
{%- endmacro %}
