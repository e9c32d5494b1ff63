-- LM_CLAN: clans recognised as "Dòng họ học tập" / clans (Hội Khuyến học report).
-- Grain: one row per ward and report_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_learning_models'), 'LM_CLAN', 'clans_learning', 'clans_total', 'report_year') }}
