-- EDU_QUALIFIED_TEACHERS: teachers meeting the training standard / teachers, in the ward of their school.
-- Grain: one row per ward with teachers and school year, breakdown ''.
with

teachers as (

    select
        school_year,
        school_year_start,
        school_ward_code as ward_code,
        sum(teacher_count) filter (where meets_standard) as qualified,
        sum(teacher_count) as teachers,
        array_agg(distinct _file_id) as source_files
    from {{ ref('fct_teachers') }}
    where school_ward_code is not null
    group by school_year, school_year_start, school_ward_code

)

select
    'EDU_QUALIFIED_TEACHERS' as indicator_code,
    school_year as period,
    school_year_start as period_year,
    {{ period_structure('school_year_start') }} as admin_structure,
    ward_code,
    '' as breakdown,
    cast(coalesce(qualified, 0) as numeric) as numerator,
    cast(teachers as numeric) as denominator,
    true as is_reported,
    false as is_population_fallback,
    {{ sorted_file_ids('source_files') }} as source_files
from teachers
