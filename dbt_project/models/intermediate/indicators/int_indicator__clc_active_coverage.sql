-- CLC_ACTIVE_COVERAGE: wards with a centre that started at least one activity in the year / wards.
-- The wards of a year are those known from the survey (population) or the centre register, in the
-- provinces where centres reported that year; a ward's value is 100% or 0%.
-- Grain: one row per ward and year, breakdown ''.
with

centre_wards as (

    select
        centres.year,
        centres.admin_structure,
        centres.ward_code,
        max(case when activities.activities > 0 then 1 else 0 end) as has_active_centre,
        array_agg(distinct centres.register_file_id)
            || coalesce({{ agg_file_ids('activities.source_files') }}, cast(array[] as bigint[])) as source_files
    from {{ ref('int_clc__centre_ward_by_year') }} as centres
    left join {{ ref('int_clc__activities_by_centre_year') }} as activities
        on centres.clc_code = activities.clc_code
        and centres.year = activities.activity_year
    group by centres.year, centres.admin_structure, centres.ward_code

),

activity_provinces as (

    select distinct centre_wards.year, centre_wards.admin_structure, rollup.admin_unit_code as province_code
    from centre_wards
    inner join {{ ref('int_admin__ward_rollup') }} as rollup
        on centre_wards.admin_structure = rollup.admin_structure
        and centre_wards.ward_code = rollup.ward_code
        and rollup.admin_level = 'province'

),

survey_wards as (

    select population.year, population.admin_structure, population.ward_code, population.source_files
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
        coalesce(centre_wards.year, survey_wards.year) as year,
        coalesce(centre_wards.admin_structure, survey_wards.admin_structure) as admin_structure,
        coalesce(centre_wards.ward_code, survey_wards.ward_code) as ward_code,
        coalesce(centre_wards.has_active_centre, 0) as numerator,
        coalesce(centre_wards.source_files, survey_wards.source_files) as source_files
    from centre_wards
    full outer join survey_wards
        on centre_wards.year = survey_wards.year
        and centre_wards.admin_structure = survey_wards.admin_structure
        and centre_wards.ward_code = survey_wards.ward_code

)

select
    'CLC_ACTIVE_COVERAGE' as indicator_code,
    cast(year as text) as period,
    year as period_year,
    admin_structure,
    ward_code,
    '' as breakdown,
    cast(numerator as numeric) as numerator,
    cast(1 as numeric) as denominator,
    true as is_reported,
    false as is_population_fallback,
    {{ sorted_file_ids('source_files') }} as source_files
from combined
