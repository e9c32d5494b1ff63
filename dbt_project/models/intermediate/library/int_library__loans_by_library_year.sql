{{
    config(
        materialized='incremental',
        unique_key=['library_code', 'loan_year'],
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        indexes=[{'columns': ['library_code', 'loan_year'], 'unique': true}]
    )
}}
-- One row per library and loan year: loans, electronic loans and the files they came from.
-- Incremental and additive, so that a night costs in proportion to its loans: a run adds the loan
-- versions delivered since the previous run to their library and year and takes away the versions
-- they replaced (stg_library__loans.replaced_*). The file of a replaced version stays in source_files.
with

{% if is_incremental() %}

changed as (

    select *
    from {{ ref('stg_library__loans') }}
    where _loaded_at > (select max(loans_loaded_at) from {{ this }})

),

deltas as (

    select
        library_code,
        loan_year,
        1 as loans,
        case when is_electronic then 1 else 0 end as electronic_loans,
        _file_id
    from changed

    union all

    select
        replaced_library_code,
        replaced_loan_year,
        -1,
        case when replaced_is_electronic then -1 else 0 end,
        null
    from changed
    where replaced_loan_year is not null

),

grouped as (

    select
        library_code,
        loan_year,
        sum(loans) as loans,
        sum(electronic_loans) as electronic_loans,
        array_remove(array_agg(distinct _file_id), null) as source_files
    from deltas
    group by library_code, loan_year

),

counted as (

    select
        grouped.library_code,
        grouped.loan_year,
        coalesce(stored.loans, 0) + grouped.loans as loans,
        coalesce(stored.electronic_loans, 0) + grouped.electronic_loans as electronic_loans,
        {{ sorted_file_ids("coalesce(stored.source_files, cast(array[] as bigint[])) || grouped.source_files") }}
            as source_files
    from grouped
    left join {{ this }} as stored
        on grouped.library_code = stored.library_code
        and grouped.loan_year = stored.loan_year

),

{% else %}

counted as (

    select
        library_code,
        loan_year,
        count(*) as loans,
        count(*) filter (where is_electronic) as electronic_loans,
        array_agg(distinct _file_id order by _file_id) as source_files
    from {{ ref('fct_library_loans') }}
    group by library_code, loan_year

),

{% endif %}

watermark as (

    select max(_loaded_at) as loans_loaded_at
    from {{ ref('stg_library__loans') }}

)

select
    cast(counted.library_code as text) as library_code,
    cast(counted.loan_year as integer) as loan_year,
    cast(counted.loans as bigint) as loans,
    cast(counted.electronic_loans as bigint) as electronic_loans,
    cast(counted.source_files as bigint[]) as source_files,
    watermark.loans_loaded_at
from counted
cross join watermark
