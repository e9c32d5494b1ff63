{{ config(contract={'enforced': true}) }}
-- The indicator catalogue as published with the reports (the "Indicators" sheet of the workbook):
-- one row per indicator, with the national target where one exists.
with

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

national_targets as (

    select
        indicator_code,
        string_agg(
            cast(target_value as text) || coalesce(' (' || cast(target_year as text) || ')', '')
                || ' — ' || source_document,
            '; ' order by target_year nulls first
        ) as national_targets
    from {{ ref('indicator_targets') }}
    where city = 'national'
    group by indicator_code

)

select
    cast(catalogue.indicator_code as text) as indicator_code,
    cast(catalogue.name_vi as text) as name_vi,
    cast(catalogue.name_en as text) as name_en,
    cast(catalogue.area as text) as area,
    cast(catalogue.numerator_definition as text) as numerator_definition,
    cast(catalogue.denominator_definition as text) as denominator_definition,
    cast(catalogue.formula as text) as formula,
    cast(catalogue.unit as text) as unit,
    cast(catalogue.direction as text) as direction,
    cast(catalogue.period_type as text) as period_type,
    cast(catalogue.levels as text) as levels,
    cast(catalogue.breakdown as text) as breakdown,
    cast(catalogue.sources as text) as sources,
    cast(catalogue.sdg_ref as text) as sdg_ref,
    cast(catalogue.kflc_ref as text) as kflc_ref,
    cast(national_targets.national_targets as text) as national_targets,
    cast(catalogue.notes as text) as notes
from catalogue
left join national_targets
    on catalogue.indicator_code = national_targets.indicator_code
