-- LIT_RETENTION: newly literate who did not relapse / newly literate, from the survey of the year.
-- Grain: one row per ward and survey_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_literacy'), 'LIT_RETENTION', 'newly_literate_retained', 'newly_literate', 'survey_year') }}
