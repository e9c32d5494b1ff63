-- One row per delivered file of the load manifest, with whether its validation run reported a failed
-- expectation of severity error for its source (used for the failed_validation quality flag).
with

manifest as (

    select * from {{ source('audit', 'load_manifest') }}

),

failed_validations as (

    select distinct
        run_id,
        source
    from {{ source('audit', 'validation_results') }}
    where success is false
        and severity = 'error'

),

files as (

    select
        manifest.file_id,
        manifest.source,
        manifest.file_name,
        manifest.path,
        manifest.sha256,
        manifest.status,
        manifest.rows_loaded,
        manifest.rows_quarantined,
        manifest.received_at,
        manifest.loaded_at,
        manifest.run_id,
        failed_validations.run_id is not null as failed_validation

    from manifest
    left join failed_validations
        on manifest.run_id = failed_validations.run_id
        and manifest.source = failed_validations.source

)

select * from files
