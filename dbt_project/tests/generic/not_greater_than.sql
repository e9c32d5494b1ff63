{# A part never exceeds its whole: `column_name <= other_column` wherever both are present. #}
{% test not_greater_than(model, column_name, other_column) %}

select *
from {{ model }}
where {{ column_name }} > {{ other_column }}

{% endtest %}
