{#
    dbt-postgres reports array columns with the type name `ARRAY` (information_schema.columns.data_type),
    which is not a type PostgreSQL can cast to: unit-test fixtures (`cast(... as ARRAY)`) and
    on_schema_change=append_new_columns both fail on the bigint[] lineage columns (source_files).
    Same query as dbt-postgres, with arrays reported as `<element type>[]`.
#}
{% macro postgres__get_columns_in_relation(relation) -%}
  {% call statement('get_columns_in_relation', fetch_result=True) %}
      select
          column_name,
          case
              when data_type = 'ARRAY' then cast(cast(ltrim(udt_name, '_') as regtype) as text) || '[]'
              else data_type
          end as data_type,
          character_maximum_length,
          numeric_precision,
          numeric_scale

      from {{ relation.information_schema('columns') }}
      where table_name = '{{ relation.identifier }}'
        {% if relation.schema %}
        and table_schema = '{{ relation.schema }}'
        {% endif %}
      order by ordinal_position

  {% endcall %}
  {% set table = load_result('get_columns_in_relation').table %}
  {{ return(sql_convert_columns_in_relation(table)) }}
{% endmacro %}
