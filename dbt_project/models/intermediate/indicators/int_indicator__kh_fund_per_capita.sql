-- KH_FUND_PER_CAPITA: study-promotion fund (VND) / population of the reporting ward (survey of the same
-- year, else the latest earlier survey, flagged).
-- Grain: one row per reporting ward and report year, breakdown ''.
with

reports as (

    select * from {{ ref('fct_learning_models') }}

),

population as (

    select * from {{ ref('int_survey__ward_population_by_year') }}

)

select
    'KH_FUND_PER_CAPITA' as indicator_code,
    cast(reports.report_year as text) as period,
    reports.report_year as period_year,
    reports.admin_structure,
    reports.ward_code,
    '' as breakdown,
    cast(reports.fund_vnd as numeric) as numerator,
    population.population as denominator,
    (reports.fund_vnd is not null and population.population is not null) as is_reported,
    coalesce(population.is_population_fallback, false) as is_population_fallback,
    {{ sorted_file_ids("array[reports._file_id] || coalesce(population.source_files, cast(array[] as bigint[]))") }} as source_files
from reports
left join population
    on reports.ward_code = population.ward_code
    and reports.report_year = population.year
    and reports.admin_structure = population.admin_structure
