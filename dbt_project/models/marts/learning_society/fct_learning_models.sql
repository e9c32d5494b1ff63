-- One row per ward and report year of the Hội Khuyến học report: the learning families, clans,
-- communities and units, the learning citizens among workers and officials, the study-promotion fund
-- and scholarships, with the ward's district and province in the structure of the year.
with

reports as (

    select
        *,
        {{ period_structure('report_year') }} as admin_structure
    from {{ ref('stg_khuyenhoc__ward_reports') }}

),

final as (

    select
        reports.ward_code,
        reports.report_year,
        reports.admin_structure,
        units.district_code,
        units.province_code,
        reports.reported_ward_name,
        units.admin_unit_name as ward_name,
        reports.households_total,
        reports.households_learning,
        reports.clans_total,
        reports.clans_learning,
        reports.communities_total,
        reports.communities_learning,
        reports.units_total,
        reports.units_learning,
        reports.workers_assessed,
        reports.workers_learning_citizen,
        reports.officials_total,
        reports.officials_learning_citizen,
        reports.fund_vnd,
        reports.scholarships,
        reports._file_id

    from reports
    left join {{ ref('dim_admin_unit') }} as units
        on reports.admin_structure = units.admin_structure
        and reports.ward_code = units.admin_unit_code
        and units.admin_level = 'ward'

)

select * from final
