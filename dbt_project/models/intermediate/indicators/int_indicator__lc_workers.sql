-- LC_WORKERS: workers recognised as "Công dân học tập" / workers assessed (Hội Khuyến học report).
-- Grain: one row per ward and report_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_learning_models'), 'LC_WORKERS', 'workers_learning_citizen', 'workers_assessed', 'report_year') }}
