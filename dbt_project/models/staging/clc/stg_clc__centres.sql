-- One row per community learning centre and report year of the register (latest delivered version).
with

source as (

    select * from {{ source('clc', 'clc_register') }}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['clc_code', 'report_year']) }} as version_rank
    from source

),

renamed as (

    select
        clc_code,
        report_year,
        clc_name,
        ward_code,
        has_ict_equipment,
        staff_count,
        coalesce(uses_ict_management, false) as uses_ict_management,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from renamed
