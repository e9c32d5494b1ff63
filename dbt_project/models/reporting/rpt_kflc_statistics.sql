{{ config(contract={'enforced': true}) }}
-- UNESCO GNLC biennial progress report, statistics annex: one row per city, Key Feature of Learning
-- Cities area of focus, mapped indicator, period and breakdown. The mapping (kflc_mapping) and the
-- framework labels (kflc_framework) carry a `verified` flag: unverified rows must be checked against
-- UIL/2015/ME/H/5 before publication.
with

mapping as (

    select * from {{ ref('kflc_mapping') }}

),

framework as (

    select * from {{ ref('kflc_framework') }}

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

city_values as (

    select * from {{ ref('int_reporting__city_indicator_values') }}

)

select
    cast(city_values.city as text) as city,
    cast(city_values.admin_unit_code as text) as admin_unit_code,
    cast(areas.kflc_id as text) as kflc_area_id,
    cast(areas.name_en as text) as kflc_area_name_en,
    cast(areas.name_vi as text) as kflc_area_name_vi,
    cast(focus.kflc_id as text) as kflc_focus_id,
    cast(focus.name_en as text) as kflc_focus_name_en,
    cast(focus.name_vi as text) as kflc_focus_name_vi,
    cast(mapping.relation as text) as mapping_relation,
    cast(mapping.verified and focus.verified as boolean) as mapping_verified,
    cast(mapping.indicator_code as text) as indicator_code,
    cast(catalogue.name_vi as text) as indicator_name_vi,
    cast(catalogue.name_en as text) as indicator_name_en,
    cast(city_values.period as text) as period,
    cast(city_values.breakdown as text) as breakdown,
    cast(city_values.numerator as numeric(20, 2)) as numerator,
    cast(city_values.denominator as numeric(20, 2)) as denominator,
    cast(city_values.value as numeric(14, 2)) as value,
    cast(city_values.unit as text) as unit,
    cast(city_values.target_value as numeric(14, 2)) as target_value,
    cast(city_values.target_year as integer) as target_year,
    cast(city_values.meets_target as boolean) as meets_target,
    cast(city_values.quality_flag as text) as quality_flag
from mapping
inner join framework as focus
    on mapping.kflc_id = focus.kflc_id
inner join framework as areas
    on focus.parent_id = areas.kflc_id
inner join catalogue
    on mapping.indicator_code = catalogue.indicator_code
inner join city_values
    on mapping.indicator_code = city_values.indicator_code
