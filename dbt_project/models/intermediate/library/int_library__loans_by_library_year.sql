-- One row per library and loan year: loans, electronic loans and the files they came from.
select
    library_code,
    loan_year,
    count(*) as loans,
    count(*) filter (where is_electronic) as electronic_loans,
    array_agg(distinct _file_id order by _file_id) as source_files
from {{ ref('fct_library_loans') }}
group by library_code, loan_year
