-- KH_SCHOLARSHIPS: scholarships awarded (plain count: no denominator), from the Hội Khuyến học report.
-- Grain: one row per ward and report year, breakdown ''.
select
    'KH_SCHOLARSHIPS' as indicator_code,
    cast(report_year as text) as period,
    report_year as period_year,
    admin_structure,
    ward_code,
    '' as breakdown,
    cast(scholarships as numeric) as numerator,
    cast(null as numeric) as denominator,
    scholarships is not null as is_reported,
    false as is_population_fallback,
    array[_file_id] as source_files
from {{ ref('fct_learning_models') }}
