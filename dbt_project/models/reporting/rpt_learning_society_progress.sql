{{ config(contract={'enforced': true}) }}
-- National learning-society report (to the Ministry and Hội Khuyến học by 15 December): the four
-- learning models and the two learning-citizen rates, counts and rates by ward, district and
-- province/city, against the national targets (QĐ 387/QĐ-TTg, QĐ 677/QĐ-TTg) and the city's targets.
-- One row per indicator, unit (native structure of the period) and period.
with

indicator_values as (

    select * from {{ ref('indicator_values') }}
    where indicator_code in ('LM_FAMILY', 'LM_CLAN', 'LM_COMMUNITY', 'LM_UNIT', 'LC_WORKERS', 'LC_OFFICIALS')
        and admin_structure = {{ period_structure('period_year') }}

),

units as (

    select * from {{ ref('dim_admin_unit') }}

),

cities as (

    select distinct city, admin_unit_code
    from {{ ref('city_profile_inputs') }}

),

national_targets as (

    select * from {{ ref('indicator_targets') }}
    where city = 'national'

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

)

select
    cast(cities.city as text) as city,
    cast(indicator_values.admin_structure as text) as admin_structure,
    cast(indicator_values.admin_level as text) as admin_level,
    cast(indicator_values.admin_unit_code as text) as admin_unit_code,
    cast(indicator_values.admin_unit_name as text) as admin_unit_name,
    cast(units.district_code as text) as district_code,
    cast(units.province_code as text) as province_code,
    cast(indicator_values.period as text) as period,
    cast(indicator_values.indicator_code as text) as indicator_code,
    cast(catalogue.name_vi as text) as indicator_name_vi,
    cast(catalogue.name_en as text) as indicator_name_en,
    cast(indicator_values.numerator as numeric(20, 2)) as recognised_count,
    cast(indicator_values.denominator as numeric(20, 2)) as total_count,
    cast(indicator_values.value as numeric(14, 2)) as rate,
    cast(indicator_values.unit as text) as unit,
    cast(indicator_values.target_value as numeric(14, 2)) as city_target_value,
    cast(indicator_values.target_year as integer) as city_target_year,
    cast(indicator_values.meets_target as boolean) as meets_city_target,
    cast(national_target.target_value as numeric(14, 2)) as national_target_value,
    cast(national_target.target_year as integer) as national_target_year,
    cast(
        case
            when indicator_values.value is null or national_target.target_value is null then null
            else indicator_values.value >= national_target.target_value
        end
        as boolean
    ) as meets_national_target,
    cast(indicator_values.quality_flag as text) as quality_flag,
    cast(indicator_values.wards_reported as integer) as wards_reported,
    cast(indicator_values.wards_expected as integer) as wards_expected
from indicator_values
inner join catalogue
    on indicator_values.indicator_code = catalogue.indicator_code
left join units
    on indicator_values.admin_structure = units.admin_structure
    and indicator_values.admin_unit_code = units.admin_unit_code
left join cities
    on cities.admin_unit_code in (indicator_values.admin_unit_code, units.district_code, units.province_code)
left join lateral (
    select national_targets.target_value, national_targets.target_year
    from national_targets
    where national_targets.indicator_code = indicator_values.indicator_code
    order by
        case when national_targets.target_year >= indicator_values.period_year then 0 else 1 end,
        case when national_targets.target_year >= indicator_values.period_year then national_targets.target_year end,
        national_targets.target_year desc
    limit 1
) as national_target on true
