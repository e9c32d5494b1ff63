-- LC_OFFICIALS: officials and public employees recognised as "Công dân học tập" / officials (Hội Khuyến học report).
-- Grain: one row per ward and report_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_learning_models'), 'LC_OFFICIALS', 'officials_learning_citizen', 'officials_total', 'report_year') }}
