{{ config(contract={'enforced': true}) }}
-- UNESCO GNLC membership application: the city profile. One row per city, year and figure:
-- population (from the universal-education survey of the city's wards), area, population density,
-- GDP per capita of the city and of the country and average years of schooling by sex (manual inputs
-- the city provides in the seed city_profile_inputs; empty until the city fills them in).
with

inputs as (

    select * from {{ ref('city_profile_inputs') }}

),

city_units as (

    select * from {{ ref('int_reporting__city_units') }}

),

population as (

    select
        inputs.city,
        inputs.year,
        sum(ward_population.population) as population,
        count(distinct ward_population.ward_code) as wards_with_population,
        bool_or(ward_population.is_population_fallback) as is_population_fallback
    from inputs
    inner join city_units
        on inputs.city = city_units.city
        and city_units.admin_structure = {{ period_structure('inputs.year') }}
    inner join {{ ref('int_admin__ward_rollup') }} as rollup
        on city_units.admin_structure = rollup.admin_structure
        and city_units.admin_level = rollup.admin_level
        and city_units.admin_unit_code = rollup.admin_unit_code
    inner join {{ ref('int_survey__ward_population_by_year') }} as ward_population
        on rollup.admin_structure = ward_population.admin_structure
        and rollup.ward_code = ward_population.ward_code
        and inputs.year = ward_population.year
    group by inputs.city, inputs.year

),

wards_expected as (

    select
        city_units.city,
        city_units.admin_structure,
        count(*) as wards_expected
    from city_units
    inner join {{ ref('int_admin__ward_rollup') }} as rollup
        on city_units.admin_structure = rollup.admin_structure
        and city_units.admin_level = rollup.admin_level
        and city_units.admin_unit_code = rollup.admin_unit_code
    group by city_units.city, city_units.admin_structure

),

base as (

    select
        inputs.*,
        {{ period_structure('inputs.year') }} as admin_structure,
        population.population,
        case
            when population.population is null then 'no_denominator'
            when population.wards_with_population < wards_expected.wards_expected then 'incomplete'
            when population.is_population_fallback then 'population_fallback'
            else 'ok'
        end as population_flag
    from inputs
    left join population
        on inputs.city = population.city
        and inputs.year = population.year
    left join wards_expected
        on inputs.city = wards_expected.city
        and wards_expected.admin_structure = {{ period_structure('inputs.year') }}

),

figures as (

    -- a union takes its column names from the first branch and matches the others by position: the
    -- aliases of the later branches only make each value's column visible
    select city, province_code, admin_unit_code, admin_level, admin_structure, year,
        1 as figure_order, 'population' as figure_code, 'Dân số' as figure_name_vi, 'Population' as figure_name_en,
        population as value, 'persons' as unit,
        'Universal-education and literacy survey (sum of the wards)' as source, true as verified, population_flag as quality_flag
    from base
    union all
    select city, province_code, admin_unit_code, admin_level, admin_structure, year,
        2 as figure_order, 'area_km2' as figure_code,
        'Diện tích' as figure_name_vi, 'Area' as figure_name_en,
        area_km2 as value, 'km²' as unit, source, verified,
        case when area_km2 is null then 'not_provided' else 'ok' end as quality_flag
    from base
    union all
    select city, province_code, admin_unit_code, admin_level, admin_structure, year,
        3 as figure_order, 'population_density' as figure_code,
        'Mật độ dân số' as figure_name_vi, 'Population density' as figure_name_en,
        population / nullif(area_km2, 0) as value, 'persons per km²' as unit,
        'Population / area' as source, verified,
        case when area_km2 is null then 'not_provided' else population_flag end as quality_flag
    from base
    union all
    select city, province_code, admin_unit_code, admin_level, admin_structure, year,
        4 as figure_order, 'gdp_per_capita_city_usd' as figure_code,
        'GRDP bình quân đầu người của thành phố' as figure_name_vi, 'GDP per capita of the city' as figure_name_en,
        gdp_per_capita_city_usd as value, 'USD' as unit, source, verified,
        case when gdp_per_capita_city_usd is null then 'not_provided' else 'ok' end as quality_flag
    from base
    union all
    select city, province_code, admin_unit_code, admin_level, admin_structure, year,
        5 as figure_order, 'gdp_per_capita_country_usd' as figure_code,
        'GDP bình quân đầu người của cả nước' as figure_name_vi, 'GDP per capita of the country' as figure_name_en,
        gdp_per_capita_country_usd as value, 'USD' as unit, source, verified,
        case when gdp_per_capita_country_usd is null then 'not_provided' else 'ok' end as quality_flag
    from base
    union all
    select city, province_code, admin_unit_code, admin_level, admin_structure, year,
        6 as figure_order, 'avg_years_schooling_male' as figure_code,
        'Số năm đi học bình quân (nam)' as figure_name_vi, 'Average years of schooling (male)' as figure_name_en,
        avg_years_schooling_male as value, 'years' as unit, source, verified,
        case when avg_years_schooling_male is null then 'not_provided' else 'ok' end as quality_flag
    from base
    union all
    select city, province_code, admin_unit_code, admin_level, admin_structure, year,
        7 as figure_order, 'avg_years_schooling_female' as figure_code,
        'Số năm đi học bình quân (nữ)' as figure_name_vi, 'Average years of schooling (female)' as figure_name_en,
        avg_years_schooling_female as value, 'years' as unit, source, verified,
        case when avg_years_schooling_female is null then 'not_provided' else 'ok' end as quality_flag
    from base

)

select
    cast(city as text) as city,
    cast(province_code as text) as province_code,
    cast(admin_unit_code as text) as admin_unit_code,
    cast(admin_level as text) as admin_level,
    cast(admin_structure as text) as admin_structure,
    cast(year as integer) as year,
    cast(figure_order as integer) as figure_order,
    cast(figure_code as text) as figure_code,
    cast(figure_name_vi as text) as figure_name_vi,
    cast(figure_name_en as text) as figure_name_en,
    cast(value as numeric(20, 2)) as value,
    cast(unit as text) as unit,
    cast(source as text) as source,
    cast(verified as boolean) as verified,
    cast(quality_flag as text) as quality_flag
from figures
