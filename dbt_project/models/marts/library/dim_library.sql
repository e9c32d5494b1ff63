-- One row per library and report year of the register, with its ward, district and province in the
-- structure of the report year.
with

libraries as (

    select
        *,
        {{ period_structure('report_year') }} as admin_structure
    from {{ ref('stg_library__libraries') }}

),

final as (

    select
        libraries.library_code,
        libraries.report_year,
        libraries.library_name,
        libraries.library_type,
        libraries.opened_date,
        libraries.admin_structure,
        libraries.ward_code,
        units.district_code,
        units.province_code,
        libraries._file_id

    from libraries
    left join {{ ref('dim_admin_unit') }} as units
        on libraries.admin_structure = units.admin_structure
        and libraries.ward_code = units.admin_unit_code
        and units.admin_level = 'ward'

)

select * from final
