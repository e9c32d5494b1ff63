-- Every indicator's ward-level numerator and denominator in one long relation (union of the
-- int_indicator__* models), in the structure of each period.
-- Grain: one row per indicator, period, ward and breakdown.
{%- set component_models = [
    'int_indicator__edu_ptr',
    'int_indicator__edu_qualified_teachers',
    'int_indicator__edu_school_standard',
    'int_indicator__edu_school_internet',
    'int_indicator__edu_dropout',
    'int_indicator__ece_age5_participation',
    'int_indicator__primary_entry_age6',
    'int_indicator__lit_15_60',
    'int_indicator__lit_15_35',
    'int_indicator__lit_retention',
    'int_indicator__digital_skills',
    'int_indicator__lm_family',
    'int_indicator__lm_clan',
    'int_indicator__lm_community',
    'int_indicator__lm_unit',
    'int_indicator__lc_workers',
    'int_indicator__lc_officials',
    'int_indicator__kh_fund_per_capita',
    'int_indicator__kh_scholarships',
    'int_indicator__clc_ict',
    'int_indicator__clc_active_coverage',
    'int_indicator__clc_participation',
    'int_indicator__clc_digital_learners',
    'int_indicator__lib_loans_per_capita',
    'int_indicator__lib_active_patrons',
    'int_indicator__lib_ebook_share',
    'int_indicator__learning_spaces',
] %}

{% for model_name in component_models %}
select
    indicator_code,
    period,
    period_year,
    admin_structure,
    ward_code,
    breakdown,
    numerator,
    denominator,
    is_reported,
    is_population_fallback,
    source_files
from {{ ref(model_name) }}
{% if not loop.last %}union all{% endif %}
{% endfor %}
