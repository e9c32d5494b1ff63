{#
    Keyed hash (HMAC-SHA256, hex) of a personal identifier. The key comes from the environment
    (LCP_HMAC_KEY) and is never stored in the warehouse: without it the hash cannot be reversed by
    trying every possible 12-digit number. Same key, same hash: counts of distinct persons stay exact.
    Requires pgcrypto (installed by the warehouse bootstrap). Null in, null out.
    Only in tables and incremental models: the definition of a view is readable by every role
    (pg_views), and it would show the key.
#}
{% macro pseudonymise(column) -%}
    {%- if execute and model.config.materialized not in ('table', 'incremental') -%}
        {{ exceptions.raise_compiler_error(
            "pseudonymise() in " ~ model.name ~ " (materialized " ~ model.config.materialized ~ "): the HMAC key "
            ~ "would be readable in the definition of a view; materialize the model as a table") }}
    {%- endif %}
    case
        when {{ column }} is null then null
        else encode(hmac(cast({{ column }} as text), '{{ env_var("LCP_HMAC_KEY") }}', 'sha256'), 'hex')
    end
{%- endmacro %}

{#
    The first 64 bits of a keyed hash (hex text from pseudonymise) as a bigint: a compact key for
    counting distinct persons over millions of rows. Two of a million persons share it with a
    probability of about 3e-8.
#}
{% macro patron_hash(hex_column) -%}
    cast(cast('x' || left({{ hex_column }}, 16) as bit(64)) as bigint)
{%- endmacro %}
