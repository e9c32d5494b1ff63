-- One row per ward and report year of the study-promotion association (latest delivered version).
-- The "Tổng cộng" total row is excluded by the reader at ingestion and never reaches raw.
with

source as (

    select * from {{ source('khuyenhoc', 'khuyenhoc_ward_report') }}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['ward_code', 'report_year']) }} as version_rank
    from source

),

renamed as (

    select
        ward_code,
        report_year,
        ward_name as reported_ward_name,
        households_total,
        households_learning,
        clans_total,
        clans_learning,
        communities_total,
        communities_learning,
        units_total,
        units_learning,
        workers_assessed,
        workers_learning_citizen,
        officials_total,
        officials_learning_citizen,
        fund_vnd,
        scholarships,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from renamed
