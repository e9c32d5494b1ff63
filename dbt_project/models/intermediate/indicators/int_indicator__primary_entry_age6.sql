-- PRIMARY_ENTRY_AGE6: pupils with status Đang học aged 6 on 31 December of the school year's first
-- year in grade 1, by residence ward / children aged 6 of that ward (survey of the school year's first
-- year, else the latest earlier survey, flagged).
-- Grain: one row per ward and school year, breakdown ''.
with

activity as (

    select
        school_year as period,
        school_year_start as year,
        {{ period_structure('school_year_start') }} as admin_structure,
        residence_ward_code as ward_code,
        sum(student_count) as numerator,
        array_agg(distinct _file_id) as source_files
    from {{ ref('fct_enrolment') }}
    where status = 'Đang học'
        and age_at_reference_date = 6
        and grade = '1'
        and residence_ward_code is not null
    group by school_year, school_year_start, residence_ward_code

),

{{ population_component('PRIMARY_ENTRY_AGE6', 'activity', 'pop_age_6') }}
