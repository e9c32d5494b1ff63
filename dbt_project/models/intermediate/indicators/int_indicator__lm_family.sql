-- LM_FAMILY: households recognised as "Gia đình học tập" / households (Hội Khuyến học report).
-- Grain: one row per ward and report_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_learning_models'), 'LM_FAMILY', 'households_learning', 'households_total', 'report_year') }}
