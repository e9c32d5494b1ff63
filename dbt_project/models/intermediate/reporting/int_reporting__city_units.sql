-- One row per city and administrative structure in which the city is a unit: HCMC and Hanoi are
-- provinces in both structures, Phủ Lý is a district-level city of Hà Nam before the reform only.
-- The cities are those of the city profile seed (city_profile_inputs).
with

cities as (

    select distinct city, admin_unit_code, admin_level
    from {{ ref('city_profile_inputs') }}

)

select
    cities.city,
    units.admin_structure,
    units.admin_level,
    units.admin_unit_code,
    units.admin_unit_name
from cities
inner join {{ ref('dim_admin_unit') }} as units
    on cities.admin_unit_code = units.admin_unit_code
    and cities.admin_level = units.admin_level
