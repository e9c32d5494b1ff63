-- One row per city, indicator, period and breakdown: the indicator values of the city's own unit in
-- the structure of the period (the form the city reports to UNESCO and the Ministry).
select
    cities.city,
    indicator_values.indicator_code,
    indicator_values.admin_unit_code,
    indicator_values.admin_level,
    indicator_values.admin_structure,
    indicator_values.admin_unit_name,
    indicator_values.period,
    indicator_values.period_year,
    indicator_values.breakdown,
    indicator_values.numerator,
    indicator_values.denominator,
    indicator_values.value,
    indicator_values.unit,
    indicator_values.target_value,
    indicator_values.target_year,
    indicator_values.meets_target,
    indicator_values.quality_flag,
    indicator_values.quality_flags,
    indicator_values.wards_reported,
    indicator_values.wards_expected,
    indicator_values.source_files
from {{ ref('indicator_values') }} as indicator_values
inner join {{ ref('int_reporting__city_units') }} as cities
    on indicator_values.admin_structure = cities.admin_structure
    and indicator_values.admin_level = cities.admin_level
    and indicator_values.admin_unit_code = cities.admin_unit_code
where indicator_values.admin_structure = {{ period_structure('indicator_values.period_year') }}
