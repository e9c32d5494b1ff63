-- EDU_SCHOOL_INTERNET: schools connected to the Internet / schools (unknown counts as not connected).
-- Grain: one row per ward with schools and school year, breakdown ''.
with

schools as (

    select
        school_year,
        school_year_start,
        ward_code,
        count(*) filter (where has_internet) as connected,
        count(*) as schools,
        array_agg(distinct _file_id) as source_files
    from {{ ref('dim_school') }}
    group by school_year, school_year_start, ward_code

)

select
    'EDU_SCHOOL_INTERNET' as indicator_code,
    school_year as period,
    school_year_start as period_year,
    {{ period_structure('school_year_start') }} as admin_structure,
    ward_code,
    '' as breakdown,
    cast(connected as numeric) as numerator,
    cast(schools as numeric) as denominator,
    true as is_reported,
    false as is_population_fallback,
    {{ sorted_file_ids('source_files') }} as source_files
from schools
