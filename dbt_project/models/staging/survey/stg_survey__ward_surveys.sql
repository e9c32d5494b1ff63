-- One row per ward and survey year of the universal-education and literacy survey (latest version).
with

source as (

    select * from {{ source('survey', 'literacy_survey') }}

),

ranked as (

    select
        *,
        {{ latest_version_rank(['ward_code', 'survey_year']) }} as version_rank
    from source

),

renamed as (

    select
        ward_code,
        survey_year,
        population,
        pop_age_5,
        pop_age_6,
        pop_15_plus,
        pop_15_35,
        literate_15_35,
        pop_15_60,
        literate_15_60,
        newly_literate,
        newly_literate_retained,
        pop_digital_skills_assessed,
        digital_skills_basic,
        _file_id,
        _loaded_at

    from ranked
    where version_rank = 1

)

select * from renamed
