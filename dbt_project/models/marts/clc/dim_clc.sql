-- One row per community learning centre and report year of the register, with its ward, district
-- and province in the structure of the report year.
with

centres as (

    select
        *,
        {{ period_structure('report_year') }} as admin_structure
    from {{ ref('stg_clc__centres') }}

),

final as (

    select
        centres.clc_code,
        centres.report_year,
        centres.clc_name,
        centres.has_ict_equipment,
        centres.uses_ict_management,
        centres.staff_count,
        centres.admin_structure,
        centres.ward_code,
        units.district_code,
        units.province_code,
        centres._file_id

    from centres
    left join {{ ref('dim_admin_unit') }} as units
        on centres.admin_structure = units.admin_structure
        and centres.ward_code = units.admin_unit_code
        and units.admin_level = 'ward'

)

select * from final
