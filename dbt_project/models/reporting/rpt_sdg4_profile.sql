{{ config(contract={'enforced': true}) }}
-- SDG 4 city profile: one row per city, SDG 4 indicator (or proxy) of the catalogue, period and
-- breakdown — 4.2.2 participation at age 5, 4.c.1 (proxy) qualified teachers, pupil–teacher ratio,
-- literacy and the participation proxies.
with

catalogue as (

    select * from {{ ref('indicator_catalogue') }}
    where sdg_ref is not null and sdg_ref <> ''

)

select
    cast(city_values.city as text) as city,
    cast(city_values.admin_unit_code as text) as admin_unit_code,
    cast(catalogue.sdg_ref as text) as sdg_indicator,
    cast(city_values.indicator_code as text) as indicator_code,
    cast(catalogue.name_vi as text) as indicator_name_vi,
    cast(catalogue.name_en as text) as indicator_name_en,
    cast(city_values.period as text) as period,
    cast(city_values.breakdown as text) as breakdown,
    cast(city_values.numerator as numeric(20, 2)) as numerator,
    cast(city_values.denominator as numeric(20, 2)) as denominator,
    cast(city_values.value as numeric(14, 2)) as value,
    cast(city_values.unit as text) as unit,
    cast(city_values.quality_flag as text) as quality_flag
from {{ ref('int_reporting__city_indicator_values') }} as city_values
inner join catalogue
    on city_values.indicator_code = catalogue.indicator_code
