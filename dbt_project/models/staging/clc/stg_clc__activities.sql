-- One row per class or event of a community learning centre (latest delivered version).
with

source as (

    select * from {{ source('clc', 'clc_activities') }}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['activity_id']) }} as version_rank
    from source

),

renamed as (

    select
        activity_id,
        clc_code,
        start_date,
        end_date,
        cast(extract(year from start_date) as integer) as activity_year,
        program,
        mode,
        sessions,
        participants,
        participants_female,
        participants_15_60,
        participants_over_60,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from renamed
