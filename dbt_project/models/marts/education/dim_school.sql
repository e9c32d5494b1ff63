-- One row per school and school year (EMIS snapshot), with its ward, district and province in the
-- structure of the school year.
with

schools as (

    select
        *,
        {{ period_structure('school_year_start') }} as admin_structure
    from {{ ref('stg_emis__schools') }}

),

units as (

    select * from {{ ref('dim_admin_unit') }}

),

final as (

    select
        schools.school_code,
        schools.school_year,
        schools.school_year_start,
        schools.school_name,
        schools.school_level,
        schools.ownership,
        schools.is_public,
        schools.national_standard,
        schools.meets_national_standard,
        schools.has_internet,
        schools.has_library,
        schools.admin_structure,
        schools.ward_code,
        units.district_code,
        units.province_code,
        schools._file_id

    from schools
    left join units
        on schools.admin_structure = units.admin_structure
        and schools.ward_code = units.admin_unit_code
        and units.admin_level = 'ward'

)

select * from final
