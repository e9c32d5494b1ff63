-- One row per library and report year of the register (latest delivered version).
with

source as (

    select * from {{ source('library', 'library_register') }}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['library_code', 'report_year']) }} as version_rank
    from source

),

renamed as (

    select
        library_code,
        report_year,
        library_name,
        library_type,
        ward_code,
        opened_date,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from renamed
