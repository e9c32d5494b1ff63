{#
    Rank of a raw row among the rows with the same contract key: 1 = the version to keep.
    A re-sent or corrected file is loaded as a new file, so the latest load wins
    (`_loaded_at`, then `_file_id`, then the row number inside the file as the last tie-breaker).
#}
{% macro latest_version_rank(key_columns) -%}
    row_number() over (
        partition by {{ key_columns | join(', ') }}
        order by _loaded_at desc, _file_id desc, _row_number desc
    )
{%- endmacro %}
