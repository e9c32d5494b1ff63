{{
    config(
        indexes=[{'columns': ['school_year', 'school_code']}]
    )
}}
-- Aggregated enrolment: one row per school year, school, grade, status, sex, disability, age on
-- 31 December of the school year's first year, residence ward and delivered file, with the number of
-- students. No person rows: analysts see counts, never identifiers, names or birth dates.
with

students as (

    select * from {{ ref('stg_emis__students') }}

),

aggregated as (

    select
        school_year,
        school_year_start,
        school_code,
        grade,
        education_level,
        status,
        gender,
        coalesce(disability, false) as disability,
        age_at_reference_date,
        residence_ward_code,
        _file_id,
        count(*) as student_count
    from students
    group by
        school_year,
        school_year_start,
        school_code,
        grade,
        education_level,
        status,
        gender,
        coalesce(disability, false),
        age_at_reference_date,
        residence_ward_code,
        _file_id

),

final as (

    select
        aggregated.school_year,
        aggregated.school_year_start,
        aggregated.school_code,
        schools.school_level,
        schools.ward_code as school_ward_code,
        aggregated.grade,
        aggregated.education_level,
        aggregated.status,
        aggregated.gender,
        aggregated.disability,
        aggregated.age_at_reference_date,
        aggregated.residence_ward_code,
        aggregated._file_id,
        aggregated.student_count

    from aggregated
    left join {{ ref('dim_school') }} as schools
        on aggregated.school_code = schools.school_code
        and aggregated.school_year = schools.school_year

)

select * from final
