-- One row per loan year and administrative unit (wards, districts and provinces of both structures):
-- distinct patrons with at least one loan in the year at a library of the unit. Distinct counts are
-- not additive, so every level counts each patron once (from int_library__patron_units, one row per
-- patron and unit) instead of summing the level below. For pre-reform years the new provinces are
-- counted through the new province that received the largest share of each old ward.
select
    loan_year,
    admin_structure,
    admin_level,
    admin_unit_code,
    count(*) as active_patrons
from {{ ref('int_library__patron_units') }}
where admin_level in ('ward', 'district', 'province')
group by loan_year, admin_structure, admin_level, admin_unit_code
