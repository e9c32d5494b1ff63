{{
    config(
        indexes=[{'columns': ['admin_structure', 'admin_unit_code'], 'unique': true}]
    )
}}
-- One row per administrative unit and structure: provinces, districts and wards before the 2025
-- reform (pre_2025, valid to 2025-06-30) and provinces and wards after it (post_2025, no district
-- level), each with its district (pre-reform wards) and province and the validity dates.
with

units as (

    select * from {{ ref('admin_units') }}

),

districts as (

    select structure, unit_code, full_name
    from units
    where admin_level = 'district'

),

provinces as (

    select structure, unit_code, full_name
    from units
    where admin_level = 'province'

),

final as (

    select
        units.structure || ':' || units.unit_code as admin_unit_key,
        units.structure as admin_structure,
        units.unit_code as admin_unit_code,
        units.admin_level,
        units.unit_name,
        units.full_name as admin_unit_name,
        units.name_en,
        nullif(units.parent_code, '') as parent_code,
        case
            when units.admin_level = 'district' then units.unit_code
            when units.admin_level = 'ward' then districts.unit_code
        end as district_code,
        case
            when units.admin_level = 'district' then units.full_name
            when units.admin_level = 'ward' then districts.full_name
        end as district_name,
        units.province_code,
        provinces.full_name as province_name,
        units.valid_from,
        units.valid_to

    from units
    left join districts
        on units.structure = districts.structure
        and units.parent_code = districts.unit_code
    left join provinces
        on units.structure = provinces.structure
        and units.province_code = provinces.unit_code

)

select * from final
