-- EDU_PTR: pupils with status Đang học / teachers, by school level and ward of the school.
-- Pupils take the level of their grade, teachers the level of their school; teachers of GDTX and
-- Liên cấp schools count only in the all-levels row (breakdown '').
-- Grain: one row per ward, school year and breakdown (Mầm non, Tiểu học, THCS, THPT, '').
with

students as (

    select
        school_year,
        school_year_start,
        school_ward_code as ward_code,
        education_level,
        sum(student_count) as students,
        array_agg(distinct _file_id) as source_files
    from {{ ref('fct_enrolment') }}
    where status = 'Đang học'
        and school_ward_code is not null
    group by school_year, school_year_start, school_ward_code, education_level

),

teachers as (

    select
        school_year,
        school_year_start,
        school_ward_code as ward_code,
        school_level,
        sum(teacher_count) as teachers,
        array_agg(distinct _file_id) as source_files
    from {{ ref('fct_teachers') }}
    where school_ward_code is not null
    group by school_year, school_year_start, school_ward_code, school_level

),

school_files as (

    select
        school_year,
        ward_code,
        array_agg(distinct _file_id) as source_files
    from {{ ref('dim_school') }}
    group by school_year, ward_code

),

students_by_level as (

    select *
    from students
    where education_level in ('Mầm non', 'Tiểu học', 'THCS', 'THPT')

),

teachers_by_level as (

    select *
    from teachers
    where school_level in ('Mầm non', 'Tiểu học', 'THCS', 'THPT')

),

by_level as (

    select
        coalesce(students_by_level.school_year, teachers_by_level.school_year) as school_year,
        coalesce(students_by_level.school_year_start, teachers_by_level.school_year_start) as school_year_start,
        coalesce(students_by_level.ward_code, teachers_by_level.ward_code) as ward_code,
        coalesce(students_by_level.education_level, teachers_by_level.school_level) as breakdown,
        coalesce(students_by_level.students, 0) as students,
        coalesce(teachers_by_level.teachers, 0) as teachers,
        coalesce(students_by_level.source_files, cast(array[] as bigint[]))
            || coalesce(teachers_by_level.source_files, cast(array[] as bigint[])) as source_files
    from students_by_level
    full outer join teachers_by_level
        on students_by_level.school_year = teachers_by_level.school_year
        and students_by_level.ward_code = teachers_by_level.ward_code
        and students_by_level.education_level = teachers_by_level.school_level

),

students_all_levels as (

    select school_year, school_year_start, ward_code, sum(students) as students,
        {{ agg_file_ids('source_files') }} as source_files
    from students
    group by school_year, school_year_start, ward_code

),

teachers_all_levels as (

    select school_year, school_year_start, ward_code, sum(teachers) as teachers,
        {{ agg_file_ids('source_files') }} as source_files
    from teachers
    group by school_year, school_year_start, ward_code

),

all_levels as (

    select
        coalesce(students_all_levels.school_year, teachers_all_levels.school_year) as school_year,
        coalesce(students_all_levels.school_year_start, teachers_all_levels.school_year_start) as school_year_start,
        coalesce(students_all_levels.ward_code, teachers_all_levels.ward_code) as ward_code,
        '' as breakdown,
        coalesce(students_all_levels.students, 0) as students,
        coalesce(teachers_all_levels.teachers, 0) as teachers,
        coalesce(students_all_levels.source_files, cast(array[] as bigint[]))
            || coalesce(teachers_all_levels.source_files, cast(array[] as bigint[])) as source_files
    from students_all_levels
    full outer join teachers_all_levels
        on students_all_levels.school_year = teachers_all_levels.school_year
        and students_all_levels.ward_code = teachers_all_levels.ward_code

),

combined as (

    select * from by_level
    union all
    select * from all_levels

)

select
    'EDU_PTR' as indicator_code,
    combined.school_year as period,
    combined.school_year_start as period_year,
    {{ period_structure('combined.school_year_start') }} as admin_structure,
    combined.ward_code,
    combined.breakdown,
    cast(combined.students as numeric) as numerator,
    cast(combined.teachers as numeric) as denominator,
    true as is_reported,
    false as is_population_fallback,
    {{ sorted_file_ids("combined.source_files || coalesce(school_files.source_files, cast(array[] as bigint[]))") }} as source_files
from combined
left join school_files
    on combined.school_year = school_files.school_year
    and combined.ward_code = school_files.ward_code
