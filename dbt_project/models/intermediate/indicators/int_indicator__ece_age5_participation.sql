-- ECE_AGE5_PARTICIPATION (SDG 4.2.2): pupils with status Đang học aged 5 on 31 December of the school
-- year's first year, in pre-primary or primary, by residence ward / children aged 5 of that ward
-- (survey of the school year's first year, else the latest earlier survey, flagged).
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
        and age_at_reference_date = 5
        and education_level in ('Mầm non', 'Tiểu học')
        and residence_ward_code is not null
    group by school_year, school_year_start, residence_ward_code

),

{{ population_component('ECE_AGE5_PARTICIPATION', 'activity', 'pop_age_5') }}
