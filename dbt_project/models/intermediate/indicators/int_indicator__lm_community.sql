-- LM_COMMUNITY: communities recognised as "Cộng đồng học tập" / communities (Hội Khuyến học report).
-- Grain: one row per ward and report_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_learning_models'), 'LM_COMMUNITY', 'communities_learning', 'communities_total', 'report_year') }}
