-- One row per library and day (latest delivered version).
with

source as (

    select * from {{ source('library', 'library_visits') }}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['library_code', 'visit_date']) }} as version_rank
    from source

),

renamed as (

    select
        library_code,
        visit_date,
        cast(extract(year from visit_date) as integer) as visit_year,
        visitors,
        visitors_female,
        visitors_under_16,
        online_sessions,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from renamed
