-- CLC_ICT: centres using ICT in management and teaching / centres, from the register of the year, in
-- the ward of the centre.
-- Grain: one row per ward with a registered centre and report year, breakdown ''.
with

centres as (

    select
        report_year,
        admin_structure,
        ward_code,
        count(*) filter (where uses_ict_management) as using_ict,
        count(*) as centres,
        array_agg(distinct _file_id) as source_files
    from {{ ref('dim_clc') }}
    group by report_year, admin_structure, ward_code

)

select
    'CLC_ICT' as indicator_code,
    cast(report_year as text) as period,
    report_year as period_year,
    admin_structure,
    ward_code,
    '' as breakdown,
    cast(using_ict as numeric) as numerator,
    cast(centres as numeric) as denominator,
    true as is_reported,
    false as is_population_fallback,
    {{ sorted_file_ids('source_files') }} as source_files
from centres
