-- Aggregated teaching staff: one row per school year, school, qualification, training-standard flag,
-- ICT training, sex and delivered file, with the number of teachers (no person rows).
with

teachers as (

    select * from {{ ref('stg_emis__teachers') }}

),

aggregated as (

    select
        school_year,
        school_year_start,
        school_code,
        qualification,
        meets_standard,
        coalesce(ict_trained, false) as ict_trained,
        gender,
        _file_id,
        count(*) as teacher_count
    from teachers
    group by
        school_year,
        school_year_start,
        school_code,
        qualification,
        meets_standard,
        coalesce(ict_trained, false),
        gender,
        _file_id

),

final as (

    select
        aggregated.school_year,
        aggregated.school_year_start,
        aggregated.school_code,
        schools.school_level,
        schools.ward_code as school_ward_code,
        aggregated.qualification,
        aggregated.meets_standard,
        aggregated.ict_trained,
        aggregated.gender,
        aggregated._file_id,
        aggregated.teacher_count

    from aggregated
    left join {{ ref('dim_school') }} as schools
        on aggregated.school_code = schools.school_code
        and aggregated.school_year = schools.school_year

)

select * from final
