{# No value of the column is below zero (counts, sums, rates). Returns the offending rows. #}
{% test not_negative(model, column_name) %}

select *
from {{ model }}
where {{ column_name }} < 0

{% endtest %}
