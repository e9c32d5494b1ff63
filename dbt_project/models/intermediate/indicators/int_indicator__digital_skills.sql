-- DIGITAL_SKILLS: people with basic digital skills / people assessed, from the survey of the year.
-- Grain: one row per ward and survey_year (period), breakdown ''.
{{ ward_ratio_component(ref('fct_literacy'), 'DIGITAL_SKILLS', 'digital_skills_basic', 'pop_digital_skills_assessed', 'survey_year') }}
