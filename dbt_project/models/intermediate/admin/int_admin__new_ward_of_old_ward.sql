-- One row per pre-reform ward: the post-reform ward (and province) that received the largest share of
-- it. Used where a whole object must sit in one new ward (a library or centre located by an old
-- register, an old ward's distinct patrons counted in a new province).
with

ranked as (

    select
        old_ward_code,
        new_ward_code,
        new_province_code,
        population_share,
        row_number() over (
            partition by old_ward_code
            order by population_share desc, new_ward_code asc
        ) as share_rank
    from {{ ref('dim_ward_crosswalk') }}

)

select
    old_ward_code,
    new_ward_code,
    new_province_code,
    population_share
from ranked
where share_rank = 1
