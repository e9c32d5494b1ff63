-- One row per school and school year: the latest delivered version of each (school_code, school_year).
with

source as (

    select * from {{ source('emis', 'emis_schools') }}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['school_code', 'school_year']) }} as version_rank
    from source

),

renamed as (

    select
        school_code,
        school_year,
        {{ school_year_start('school_year') }} as school_year_start,
        school_name,
        level as school_level,
        ownership,
        ownership = 'Công lập' as is_public,
        ward_code,
        national_standard,
        coalesce(national_standard in ('Mức 1', 'Mức 2'), false) as meets_national_standard,
        has_internet,
        has_library,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from renamed
