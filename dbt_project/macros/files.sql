{#
    Aggregate of bigint[] columns over the rows of a group: the distinct file ids, sorted.
    (PostgreSQL has no built-in aggregate that concatenates arrays of different lengths.)
#}
{% macro agg_file_ids(array_column) -%}
    array(
        select distinct cast(file_id as bigint)
        from unnest(string_to_array(string_agg(array_to_string({{ array_column }}, ','), ','), ',')) as file_id
        where file_id <> ''
        order by cast(file_id as bigint)
    )
{%- endmacro %}
