{{
    config(
        materialized='incremental',
        unique_key='loan_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        indexes=[
            {'columns': ['loan_id'], 'unique': true},
            {'columns': ['_loaded_at']},
        ]
    )
}}
-- One row per loan (latest delivered version of each loan_id). Millions of rows a year, so this
-- staging model is an incremental table rather than a view: a nightly run reads only the raw rows
-- loaded since the last run, keeps the latest version of each loan among them, and replaces any
-- earlier version already stored (delete+insert on loan_id). The card number is hashed; the
-- patron's birth year and sex are kept for disaggregation. The replaced_* columns keep the year,
-- library, patron and channel of the version a re-delivered loan replaced, so that the incremental
-- aggregates downstream (int_library__patron_units, int_library__loans_by_library_year) can take the
-- loan away from where it was counted.
with

source as (

    select * from {{ source('library', 'library_loans') }}
    {% if is_incremental() %}
    -- the files loaded since the last run, through the index on _file_id (raw._loaded_at is the
    -- manifest's loaded_at of the file)
    where _file_id in (
        select manifest.file_id from {{ source('audit', 'load_manifest') }} as manifest
        where manifest.source = 'library_loans'
            and manifest.loaded_at > (
                select coalesce(max(stored._loaded_at), cast('-infinity' as timestamptz)) from {{ this }} as stored
            )
    )
    {% endif %}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['loan_id']) }} as version_rank
    from source

),

renamed as (

    select
        loan_id,
        library_code,
        item_id,
        {{ pseudonymise('patron_id') }} as patron_key,
        patron_birth_year,
        patron_gender,
        loan_ts,
        cast(loan_ts as date) as loan_date,
        cast(extract(year from loan_ts) as integer) as loan_year,
        return_ts,
        channel,
        channel = 'Điện tử' as is_electronic,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select
    renamed.*,
    {% if is_incremental() %}
    previous.replaced_loan_year,
    previous.replaced_library_code,
    previous.replaced_patron_key,
    previous.replaced_is_electronic
    {% else %}
    cast(null as integer) as replaced_loan_year,
    cast(null as text) as replaced_library_code,
    cast(null as text) as replaced_patron_key,
    cast(null as boolean) as replaced_is_electronic
    {% endif %}
from renamed
{% if is_incremental() %}
-- a lateral lookup per loan through the index on loan_id, whatever the planner's estimate
left join lateral (
    select
        stored.loan_year as replaced_loan_year,
        stored.library_code as replaced_library_code,
        stored.patron_key as replaced_patron_key,
        stored.is_electronic as replaced_is_electronic
    from {{ this }} as stored
    where stored.loan_id = renamed.loan_id
) as previous on true
{% endif %}
