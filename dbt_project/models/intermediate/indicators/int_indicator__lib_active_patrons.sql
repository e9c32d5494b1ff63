-- LIB_ACTIVE_PATRONS: distinct patrons with at least one loan in the year at the libraries of the ward
-- × 1000 / population. Units above the ward count each patron once
-- (int_library__active_patrons_by_unit), not the sum of the wards.
-- Grain: one row per ward and year, breakdown ''.
with

ward_files as (

    select
        libraries.year,
        libraries.admin_structure,
        libraries.ward_code,
        {{ agg_file_ids('loans.source_files || array[libraries.register_file_id]') }} as source_files
    from {{ ref('int_library__loans_by_library_year') }} as loans
    inner join {{ ref('int_library__library_ward_by_year') }} as libraries
        on loans.library_code = libraries.library_code
        and loans.loan_year = libraries.year
    group by libraries.year, libraries.admin_structure, libraries.ward_code

),

activity as (

    select
        cast(patrons.loan_year as text) as period,
        patrons.loan_year as year,
        patrons.admin_structure,
        patrons.admin_unit_code as ward_code,
        patrons.active_patrons as numerator,
        ward_files.source_files
    from {{ ref('int_library__active_patrons_by_unit') }} as patrons
    inner join ward_files
        on patrons.loan_year = ward_files.year
        and patrons.admin_structure = ward_files.admin_structure
        and patrons.admin_unit_code = ward_files.ward_code
    where patrons.admin_level = 'ward'

),

{{ population_component('LIB_ACTIVE_PATRONS', 'activity', 'population') }}
