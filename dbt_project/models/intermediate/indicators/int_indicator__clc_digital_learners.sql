-- CLC_DIGITAL_LEARNERS: participations in activities of the Kỹ năng số (digital skills) programme
-- started in the year, in the ward of the centre (plain count).
-- Grain: one row per ward with centre activities and year, breakdown ''.
with

activity as (

    select
        centres.year,
        centres.admin_structure,
        centres.ward_code,
        sum(activities.digital_participants) as digital_participants,
        {{ agg_file_ids('activities.source_files || array[centres.register_file_id]') }} as source_files
    from {{ ref('int_clc__activities_by_centre_year') }} as activities
    inner join {{ ref('int_clc__centre_ward_by_year') }} as centres
        on activities.clc_code = centres.clc_code
        and activities.activity_year = centres.year
    group by centres.year, centres.admin_structure, centres.ward_code

)

select
    'CLC_DIGITAL_LEARNERS' as indicator_code,
    cast(year as text) as period,
    year as period_year,
    admin_structure,
    ward_code,
    '' as breakdown,
    cast(digital_participants as numeric) as numerator,
    cast(null as numeric) as denominator,
    true as is_reported,
    false as is_population_fallback,
    {{ sorted_file_ids('source_files') }} as source_files
from activity
