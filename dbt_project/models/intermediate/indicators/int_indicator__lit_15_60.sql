-- LIT_15_60: literate (level 2) aged 15–60 / population aged 15–60, from the survey of the year.
-- Grain: one row per ward and survey_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_literacy'), 'LIT_15_60', 'literate_15_60', 'pop_15_60', 'survey_year') }}
