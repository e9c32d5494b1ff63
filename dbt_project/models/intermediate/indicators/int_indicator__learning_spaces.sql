-- LEARNING_SPACES: (libraries + community learning centres in the registers of the year) × 10000 /
-- population (survey of the year, else the latest earlier survey, flagged), in the ward of each.
-- Grain: one row per ward and register year, breakdown ''.
with

spaces as (

    select year, admin_structure, ward_code, register_file_id
    from {{ ref('int_library__library_ward_by_year') }}
    where register_year = year

    union all

    select year, admin_structure, ward_code, register_file_id
    from {{ ref('int_clc__centre_ward_by_year') }}
    where register_year = year

),

activity as (

    select
        cast(year as text) as period,
        year,
        admin_structure,
        ward_code,
        count(*) as numerator,
        array_agg(distinct register_file_id) as source_files
    from spaces
    group by year, admin_structure, ward_code

),

{{ population_component('LEARNING_SPACES', 'activity', 'population') }}
