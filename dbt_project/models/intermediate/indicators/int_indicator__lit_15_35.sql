-- LIT_15_35: literate aged 15–35 / population aged 15–35, from the survey of the year.
-- Grain: one row per ward and survey_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_literacy'), 'LIT_15_35', 'literate_15_35', 'pop_15_35', 'survey_year') }}
