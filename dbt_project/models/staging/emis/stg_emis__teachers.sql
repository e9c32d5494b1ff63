{#- a table, not a view: the definition of a view (readable by every role in pg_views) would show
    the HMAC key of the pseudonymise macro -#}
{{ config(materialized='table') }}
-- One row per teacher and school year (latest delivered version); identifier hashed, name and
-- birth date dropped (birth year kept).
with

source as (

    select * from {{ source('emis', 'emis_teachers') }}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['teacher_id', 'school_year']) }} as version_rank
    from source

),

renamed as (

    select
        {{ pseudonymise('teacher_id') }} as teacher_key,
        school_year,
        {{ school_year_start('school_year') }} as school_year_start,
        cast(extract(year from birth_date) as integer) as birth_year,
        gender,
        school_code,
        qualification,
        coalesce(meets_standard, false) as meets_standard,
        ict_trained,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from renamed
