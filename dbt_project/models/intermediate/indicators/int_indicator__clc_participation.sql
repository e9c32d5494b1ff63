-- CLC_PARTICIPATION: learner participations in activities started in the year × 1000 / residents aged
-- 15+ (survey of the year, else the latest earlier survey, flagged), in the ward of the centre.
-- Grain: one row per ward and year, breakdown ''.
with

activity as (

    select
        cast(centres.year as text) as period,
        centres.year,
        centres.admin_structure,
        centres.ward_code,
        sum(activities.participants) as numerator,
        {{ agg_file_ids('activities.source_files || array[centres.register_file_id]') }} as source_files
    from {{ ref('int_clc__activities_by_centre_year') }} as activities
    inner join {{ ref('int_clc__centre_ward_by_year') }} as centres
        on activities.clc_code = centres.clc_code
        and activities.activity_year = centres.year
    group by centres.year, centres.admin_structure, centres.ward_code

),

{{ population_component('CLC_PARTICIPATION', 'activity', 'pop_15_plus') }}
