-- EDU_SCHOOL_STANDARD: public schools recognised at national standard (Mức 1 or Mức 2) / public schools.
-- Every ward with a school gets a row; a ward with no public school has denominator 0.
-- Grain: one row per ward and school year, breakdown ''.
with

schools as (

    select
        school_year,
        school_year_start,
        ward_code,
        count(*) filter (where is_public and meets_national_standard) as public_at_standard,
        count(*) filter (where is_public) as public_schools,
        array_agg(distinct _file_id) as source_files
    from {{ ref('dim_school') }}
    group by school_year, school_year_start, ward_code

)

select
    'EDU_SCHOOL_STANDARD' as indicator_code,
    school_year as period,
    school_year_start as period_year,
    {{ period_structure('school_year_start') }} as admin_structure,
    ward_code,
    '' as breakdown,
    cast(public_at_standard as numeric) as numerator,
    cast(public_schools as numeric) as denominator,
    true as is_reported,
    false as is_population_fallback,
    {{ sorted_file_ids('source_files') }} as source_files
from schools
