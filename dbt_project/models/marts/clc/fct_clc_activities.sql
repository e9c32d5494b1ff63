{{
    config(
        materialized='incremental',
        unique_key='activity_id',
        incremental_strategy='delete+insert',
        on_schema_change='append_new_columns',
        indexes=[{'columns': ['_loaded_at']}]
    )
}}
-- One row per class or event of a community learning centre (latest delivered version), dated by its
-- start date. Incremental on _loaded_at: corrected activities replace the stored ones.
with

activities as (

    select * from {{ ref('stg_clc__activities') }}
    {% if is_incremental() %}
    where _loaded_at > (
        select coalesce(max(stored._loaded_at), cast('-infinity' as timestamptz)) from {{ this }} as stored
    )
    {% endif %}

)

select
    activity_id,
    clc_code,
    start_date,
    end_date,
    activity_year,
    program,
    mode,
    sessions,
    participants,
    participants_female,
    participants_15_60,
    participants_over_60,
    _file_id,
    _loaded_at
from activities
