-- One row per ward and survey year of the universal-education and literacy survey: population counts
-- and literacy, retention and digital-skills counts, with the ward's district and province.
with

surveys as (

    select
        *,
        {{ period_structure('survey_year') }} as admin_structure
    from {{ ref('stg_survey__ward_surveys') }}

),

final as (

    select
        surveys.ward_code,
        surveys.survey_year,
        surveys.admin_structure,
        units.district_code,
        units.province_code,
        surveys.population,
        surveys.pop_age_5,
        surveys.pop_age_6,
        surveys.pop_15_plus,
        surveys.pop_15_35,
        surveys.literate_15_35,
        surveys.pop_15_60,
        surveys.literate_15_60,
        surveys.newly_literate,
        surveys.newly_literate_retained,
        surveys.pop_digital_skills_assessed,
        surveys.digital_skills_basic,
        surveys._file_id

    from surveys
    left join {{ ref('dim_admin_unit') }} as units
        on surveys.admin_structure = units.admin_structure
        and surveys.ward_code = units.admin_unit_code
        and units.admin_level = 'ward'

)

select * from final
