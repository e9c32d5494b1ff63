-- One row per loan year and district or province (both structures): distinct patrons with at least
-- one loan in the year at a library of the unit. Distinct counts are not additive, so the units above
-- the ward count each patron once here instead of summing the wards. For pre-reform years the new
-- provinces are counted through the new province that received the largest share of each old ward.
with

patron_wards as (

    select distinct
        loans.loan_year,
        libraries.admin_structure,
        libraries.ward_code,
        loans.patron_key
    from {{ ref('fct_library_loans') }} as loans
    inner join {{ ref('int_library__library_ward_by_year') }} as libraries
        on loans.library_code = libraries.library_code
        and loans.loan_year = libraries.year
    where loans.patron_key is not null

),

native as (

    select
        patron_wards.loan_year,
        rollup.admin_structure,
        rollup.admin_level,
        rollup.admin_unit_code,
        count(distinct patron_wards.patron_key) as active_patrons
    from patron_wards
    inner join {{ ref('int_admin__ward_rollup') }} as rollup
        on patron_wards.admin_structure = rollup.admin_structure
        and patron_wards.ward_code = rollup.ward_code
    where rollup.admin_level in ('district', 'province')
    group by patron_wards.loan_year, rollup.admin_structure, rollup.admin_level, rollup.admin_unit_code

),

projected as (

    select
        patron_wards.loan_year,
        'post_2025' as admin_structure,
        'province' as admin_level,
        new_wards.new_province_code as admin_unit_code,
        count(distinct patron_wards.patron_key) as active_patrons
    from patron_wards
    inner join {{ ref('int_admin__new_ward_of_old_ward') }} as new_wards
        on patron_wards.ward_code = new_wards.old_ward_code
    where patron_wards.admin_structure = 'pre_2025'
    group by patron_wards.loan_year, new_wards.new_province_code

)

select * from native
union all
select * from projected
