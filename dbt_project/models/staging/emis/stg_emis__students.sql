{#- a table, not a view: the definition of a view (readable by every role in pg_views) would show
    the HMAC key of the pseudonymise macro -#}
{{ config(materialized='table') }}
-- One row per student and school year (latest delivered version). Personal data removed:
-- the identifier is a keyed hash, the name and the exact birth date are dropped (birth year and the
-- age on 31 December of the school year's first calendar year are kept).
with

source as (

    select * from {{ source('emis', 'emis_students') }}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['student_id', 'school_year']) }} as version_rank
    from source

),

renamed as (

    select
        {{ pseudonymise('student_id') }} as student_key,
        school_year,
        {{ school_year_start('school_year') }} as school_year_start,
        cast(extract(year from birth_date) as integer) as birth_year,
        {{ school_year_start('school_year') }} - cast(extract(year from birth_date) as integer) as age_at_reference_date,
        gender,
        ethnicity,
        disability,
        school_code,
        grade,
        {{ education_level_from_grade('grade') }} as education_level,
        status,
        residence_ward_code,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from renamed
