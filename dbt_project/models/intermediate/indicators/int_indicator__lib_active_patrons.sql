-- LIB_ACTIVE_PATRONS: distinct patrons with at least one loan in the year at the libraries of the ward
-- × 1000 / population. Units above the ward count each patron once
-- (int_library__active_patrons_by_unit), not the sum of the wards.
-- Grain: one row per ward and year, breakdown ''.
with

activity as (

    select
        cast(libraries.year as text) as period,
        libraries.year,
        libraries.admin_structure,
        libraries.ward_code,
        count(distinct loans.patron_key) as numerator,
        array_agg(distinct loans._file_id) || array_agg(distinct libraries.register_file_id) as source_files
    from {{ ref('fct_library_loans') }} as loans
    inner join {{ ref('int_library__library_ward_by_year') }} as libraries
        on loans.library_code = libraries.library_code
        and loans.loan_year = libraries.year
    group by libraries.year, libraries.admin_structure, libraries.ward_code

),

{{ population_component('LIB_ACTIVE_PATRONS', 'activity', 'population') }}
