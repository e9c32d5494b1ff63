-- LIB_LOANS_PER_CAPITA: loans of the year (year of loan_ts) at the libraries of the ward / population
-- (survey of the year, else the latest earlier survey, flagged).
-- Grain: one row per ward and year, breakdown ''.
with

activity as (

    select
        cast(libraries.year as text) as period,
        libraries.year,
        libraries.admin_structure,
        libraries.ward_code,
        sum(loans.loans) as numerator,
        {{ agg_file_ids('loans.source_files || array[libraries.register_file_id]') }} as source_files
    from {{ ref('int_library__loans_by_library_year') }} as loans
    inner join {{ ref('int_library__library_ward_by_year') }} as libraries
        on loans.library_code = libraries.library_code
        and loans.loan_year = libraries.year
    group by libraries.year, libraries.admin_structure, libraries.ward_code

),

{{ population_component('LIB_LOANS_PER_CAPITA', 'activity', 'population') }}
