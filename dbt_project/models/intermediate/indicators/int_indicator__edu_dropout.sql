-- EDU_DROPOUT: students with status Bỏ học / students on roll (every status except Chuyển đi, who are
-- counted by the school they moved to), by level (from the grade) and ward of the school.
-- Grain: one row per ward, school year and breakdown (Mầm non, Tiểu học, THCS, THPT, '').
with

enrolment as (

    select * from {{ ref('fct_enrolment') }}
    where school_ward_code is not null
        and status <> 'Chuyển đi'

),

by_level as (

    select
        school_year,
        school_year_start,
        school_ward_code as ward_code,
        education_level as breakdown,
        sum(student_count) filter (where status = 'Bỏ học') as dropouts,
        sum(student_count) as on_roll,
        array_agg(distinct _file_id) as source_files
    from enrolment
    where education_level is not null
    group by school_year, school_year_start, school_ward_code, education_level

),

all_levels as (

    select
        school_year,
        school_year_start,
        school_ward_code as ward_code,
        '' as breakdown,
        sum(student_count) filter (where status = 'Bỏ học') as dropouts,
        sum(student_count) as on_roll,
        array_agg(distinct _file_id) as source_files
    from enrolment
    group by school_year, school_year_start, school_ward_code

),

combined as (

    select * from by_level
    union all
    select * from all_levels

)

select
    'EDU_DROPOUT' as indicator_code,
    school_year as period,
    school_year_start as period_year,
    {{ period_structure('school_year_start') }} as admin_structure,
    ward_code,
    breakdown,
    cast(coalesce(dropouts, 0) as numeric) as numerator,
    cast(on_roll as numeric) as denominator,
    true as is_reported,
    false as is_population_fallback,
    {{ sorted_file_ids('source_files') }} as source_files
from combined
