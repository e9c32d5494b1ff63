-- One row per (old ward, new ward) pair of the 2025 reform: how a pre-reform ward's counts are carried
-- to the post-reform wards. An old ward split among several new wards is apportioned by
-- population_share; a ward merged whole into a new ward carries a share of 1.
with

crosswalk as (

    select * from {{ ref('admin_crosswalk_2025') }}

),

old_units as (

    select admin_unit_code, district_code, district_name
    from {{ ref('dim_admin_unit') }}
    where admin_structure = 'pre_2025'
        and admin_level = 'ward'

),

final as (

    select
        crosswalk.old_ward_code,
        crosswalk.old_ward_name,
        old_units.district_code as old_district_code,
        old_units.district_name as old_district_name,
        crosswalk.old_province_code,
        crosswalk.new_ward_code,
        crosswalk.new_ward_name,
        crosswalk.new_province_code,
        crosswalk.merge_type,
        crosswalk.split_count,
        cast(crosswalk.population_share as numeric(9, 6)) as population_share,
        crosswalk.share_method,
        (crosswalk.split_count > 1 or crosswalk.population_share < 1) as is_apportioned

    from crosswalk
    left join old_units
        on crosswalk.old_ward_code = old_units.admin_unit_code

)

select * from final
