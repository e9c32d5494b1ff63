{#
    Building blocks of the ward-level indicator components (models/intermediate/indicators/).
    Every component model returns the same columns, one row per indicator, period, ward and breakdown:
      indicator_code, period, period_year, admin_structure, ward_code, breakdown,
      numerator, denominator, is_reported, is_population_fallback, source_files
    is_reported says whether the ward takes part in the pooled sums of the units above it (both parts
    of a rate known, or the count known for plain counts).
#}

{# Sorted distinct bigint[] from an array expression. #}
{% macro sorted_file_ids(array_expression) -%}
    array(
        select distinct file_id
        from unnest(cast({{ array_expression }} as bigint[])) as file_id
        where file_id is not null
        order by file_id
    )
{%- endmacro %}

{#
    A rate read from one row per ward and year of a mart (survey, Hội Khuyến học report):
    numerator and denominator are columns of the same row.
#}
{% macro ward_ratio_component(relation, indicator_code, numerator, denominator, year_column) -%}
select
    '{{ indicator_code }}' as indicator_code,
    cast({{ year_column }} as text) as period,
    {{ year_column }} as period_year,
    admin_structure,
    ward_code,
    '' as breakdown,
    cast({{ numerator }} as numeric) as numerator,
    cast({{ denominator }} as numeric) as denominator,
    ({{ numerator }} is not null and {{ denominator }} is not null) as is_reported,
    false as is_population_fallback,
    array[_file_id] as source_files
from {{ relation }}
{%- endmacro %}

{#
    Counts of an activity per ward set against a population denominator of the same ward and year
    (int_survey__ward_population_by_year, latest earlier survey as fallback). `activity` names a CTE
    with columns period, year, admin_structure, ward_code, numerator, source_files. Wards of the
    provinces where the activity was reported that year get a row even without activity (numerator 0),
    so that the population of every ward enters the pooled denominator.
#}
{% macro population_component(indicator_code, activity, population_column) -%}
activity_provinces as (

    select distinct
        {{ activity }}.period,
        {{ activity }}.year,
        {{ activity }}.admin_structure,
        rollup.admin_unit_code as province_code
    from {{ activity }}
    inner join {{ ref('int_admin__ward_rollup') }} as rollup
        on {{ activity }}.admin_structure = rollup.admin_structure
        and {{ activity }}.ward_code = rollup.ward_code
        and rollup.admin_level = 'province'

),

population as (

    select
        activity_provinces.period,
        population.year,
        population.admin_structure,
        population.ward_code,
        population.{{ population_column }} as population_count,
        population.is_population_fallback,
        population.source_files
    from {{ ref('int_survey__ward_population_by_year') }} as population
    inner join {{ ref('int_admin__ward_rollup') }} as rollup
        on population.admin_structure = rollup.admin_structure
        and population.ward_code = rollup.ward_code
        and rollup.admin_level = 'province'
    inner join activity_provinces
        on population.year = activity_provinces.year
        and population.admin_structure = activity_provinces.admin_structure
        and rollup.admin_unit_code = activity_provinces.province_code

),

combined as (

    select
        coalesce({{ activity }}.period, population.period) as period,
        coalesce({{ activity }}.year, population.year) as year,
        coalesce({{ activity }}.admin_structure, population.admin_structure) as admin_structure,
        coalesce({{ activity }}.ward_code, population.ward_code) as ward_code,
        coalesce({{ activity }}.numerator, 0) as numerator,
        population.population_count as denominator,
        coalesce(population.is_population_fallback, false) as is_population_fallback,
        coalesce({{ activity }}.source_files, cast(array[] as bigint[]))
            || coalesce(population.source_files, cast(array[] as bigint[])) as source_files
    from {{ activity }}
    full outer join population
        on {{ activity }}.period = population.period
        and {{ activity }}.admin_structure = population.admin_structure
        and {{ activity }}.ward_code = population.ward_code

)

select
    '{{ indicator_code }}' as indicator_code,
    period,
    year as period_year,
    admin_structure,
    ward_code,
    '' as breakdown,
    cast(numerator as numeric) as numerator,
    cast(denominator as numeric) as denominator,
    denominator is not null as is_reported,
    is_population_fallback,
    {{ sorted_file_ids('source_files') }} as source_files
from combined
{%- endmacro %}
