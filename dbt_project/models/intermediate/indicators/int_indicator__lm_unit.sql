-- LM_UNIT: units recognised as "Đơn vị học tập" / units (Hội Khuyến học report).
-- Grain: one row per ward and report_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_learning_models'), 'LM_UNIT', 'units_learning', 'units_total', 'report_year') }}
