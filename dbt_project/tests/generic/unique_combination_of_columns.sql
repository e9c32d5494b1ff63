{#
    The combination of columns is unique: returns one row per duplicated combination, with the number
    of rows sharing it. Written in the project because hub packages cannot be installed offline.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

select
    {{ combination_of_columns | join(', ') }},
    count(*) as n_rows
from {{ model }}
group by {{ combination_of_columns | join(', ') }}
having count(*) > 1

{% endtest %}
