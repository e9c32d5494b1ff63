-- One row per ward (in the structure of the year) and calendar year: the population denominators of
-- per-capita and age-specific indicators. The survey of the same ward and year is used; where that
-- year is missing, the latest earlier survey (is_population_fallback). A pre-reform survey used for a
-- post-reform year is carried to the new wards through the crosswalk (counts × population_share).
with

surveys as (

    select
        *,
        {{ period_structure('survey_year') }} as admin_structure
    from {{ ref('stg_survey__ward_surveys') }}

),

native as (

    select
        ward_code,
        survey_year,
        admin_structure,
        cast(population as numeric) as population,
        cast(pop_age_5 as numeric) as pop_age_5,
        cast(pop_age_6 as numeric) as pop_age_6,
        cast(pop_15_plus as numeric) as pop_15_plus,
        false as is_projected,
        array[_file_id] as source_files
    from surveys

),

projected as (

    select
        crosswalk.new_ward_code as ward_code,
        surveys.survey_year,
        'post_2025' as admin_structure,
        sum(surveys.population * crosswalk.population_share) as population,
        sum(surveys.pop_age_5 * crosswalk.population_share) as pop_age_5,
        sum(surveys.pop_age_6 * crosswalk.population_share) as pop_age_6,
        sum(surveys.pop_15_plus * crosswalk.population_share) as pop_15_plus,
        true as is_projected,
        array_agg(distinct surveys._file_id order by surveys._file_id) as source_files
    from surveys
    inner join {{ ref('dim_ward_crosswalk') }} as crosswalk
        on surveys.ward_code = crosswalk.old_ward_code
    where surveys.admin_structure = 'pre_2025'
    group by crosswalk.new_ward_code, surveys.survey_year

),

candidates as (

    select * from native
    union all
    select * from projected

),

years as (

    select generate_series(
        min(survey_year),
        greatest(max(survey_year), cast(extract(year from current_date) as integer) + 1)
    ) as year
    from surveys

),

matched as (

    select
        candidates.ward_code,
        years.year,
        candidates.admin_structure,
        candidates.survey_year,
        candidates.population,
        candidates.pop_age_5,
        candidates.pop_age_6,
        candidates.pop_15_plus,
        candidates.source_files,
        row_number() over (
            partition by candidates.ward_code, years.year
            order by candidates.survey_year desc, candidates.is_projected asc
        ) as survey_rank
    from candidates
    inner join years
        on candidates.survey_year <= years.year
        and candidates.admin_structure = {{ period_structure('years.year') }}

)

select
    ward_code,
    year,
    admin_structure,
    survey_year,
    survey_year <> year as is_population_fallback,
    population,
    pop_age_5,
    pop_age_6,
    pop_15_plus,
    source_files
from matched
where survey_rank = 1
