-- One row per ward and each unit it counts towards (itself, its district before the reform, its
-- province), per structure: the map every indicator rolls up through.
with

wards as (

    select admin_structure, admin_unit_code as ward_code, district_code, province_code
    from {{ ref('dim_admin_unit') }}
    where admin_level = 'ward'

),

rollup as (

    select admin_structure, ward_code, 'ward' as admin_level, ward_code as admin_unit_code
    from wards

    union all

    select admin_structure, ward_code, 'district' as admin_level, district_code as admin_unit_code
    from wards
    where district_code is not null

    union all

    select admin_structure, ward_code, 'province' as admin_level, province_code as admin_unit_code
    from wards
    where province_code is not null

)

select * from rollup
