-- LIB_EBOOK_SHARE: loans with channel Điện tử / loans, at the libraries of the ward, by year of loan_ts.
-- Grain: one row per ward with loans and year, breakdown ''.
with

loans as (

    select
        libraries.year,
        libraries.admin_structure,
        libraries.ward_code,
        sum(loans.electronic_loans) as electronic_loans,
        sum(loans.loans) as loans,
        {{ agg_file_ids('loans.source_files || array[libraries.register_file_id]') }} as source_files
    from {{ ref('int_library__loans_by_library_year') }} as loans
    inner join {{ ref('int_library__library_ward_by_year') }} as libraries
        on loans.library_code = libraries.library_code
        and loans.loan_year = libraries.year
    group by libraries.year, libraries.admin_structure, libraries.ward_code

)

select
    'LIB_EBOOK_SHARE' as indicator_code,
    cast(year as text) as period,
    year as period_year,
    admin_structure,
    ward_code,
    '' as breakdown,
    cast(electronic_loans as numeric) as numerator,
    cast(loans as numeric) as denominator,
    true as is_reported,
    false as is_population_fallback,
    {{ sorted_file_ids('source_files') }} as source_files
from loans
