{{
    config(
        materialized='incremental',
        unique_key='loan_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['loan_id'], 'unique': true},
            {'columns': ['_loaded_at']},
            {'columns': ['loan_year', 'library_code']},
            {'columns': ['loan_year', 'patron_key']},
        ]
    )
}}
-- One row per loan event (latest version of each loan_id). The patron is the keyed hash of the card
-- number only. Incremental: a nightly run reads the staging rows loaded since the last run and
-- replaces earlier versions of the same loans, so its cost follows the new data.
with

loans as (

    select * from {{ ref('stg_library__loans') }}
    {% if is_incremental() %}
    where _loaded_at > (
        select coalesce(max(stored._loaded_at), cast('-infinity' as timestamptz)) from {{ this }} as stored
    )
    {% endif %}

)

select
    loan_id,
    library_code,
    item_id,
    patron_key,
    patron_birth_year,
    patron_gender,
    loan_ts,
    loan_date,
    loan_year,
    return_ts,
    channel,
    is_electronic,
    _file_id,
    _loaded_at
from loans
