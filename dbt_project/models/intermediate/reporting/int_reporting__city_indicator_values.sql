-- One row per city, indicator, period and breakdown: the indicator values of the city's own unit in
-- the structure of the period (the form the city reports to UNESCO and the Ministry).
select
    cities.city,
    indicator_values.*
from {{ ref('indicator_values') }} as indicator_values
inner join {{ ref('int_reporting__city_units') }} as cities
    on indicator_values.admin_structure = cities.admin_structure
    and indicator_values.admin_level = cities.admin_level
    and indicator_values.admin_unit_code = cities.admin_unit_code
where indicator_values.admin_structure = {{ period_structure('indicator_values.period_year') }}
