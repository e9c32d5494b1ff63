{{
    config(
        materialized='incremental',
        unique_key=['library_code', 'visit_date'],
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        indexes=[{'columns': ['_loaded_at']}]
    )
}}
-- One row per library and day: visitors, of whom female and under 16, and online sessions (latest
-- delivered version). Incremental on _loaded_at: corrected days replace the stored ones.
with

visits as (

    select * from {{ ref('stg_library__visits') }}
    {% if is_incremental() %}
    where _loaded_at > (
        select coalesce(max(stored._loaded_at), cast('-infinity' as timestamptz)) from {{ this }} as stored
    )
    {% endif %}

)

select
    library_code,
    visit_date,
    visit_year,
    visitors,
    visitors_female,
    visitors_under_16,
    online_sessions,
    _file_id,
    _loaded_at
from visits
