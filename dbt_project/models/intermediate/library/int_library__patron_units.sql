{{
    config(
        materialized='incremental',
        unique_key=['loan_year', 'patron_hash'],
        incremental_strategy='delete+insert',
        on_schema_change='sync_all_columns',
        indexes=[
            {'columns': ['loan_year', 'patron_hash', 'admin_structure', 'admin_level', 'admin_unit_code'],
             'unique': true},
        ]
    )
}}
-- One row per loan year, patron and administrative unit where the patron borrowed at least once that
-- year: the ward, district and province of every library used (both structures), and for pre-reform
-- years the new province that received the largest share of the library's old ward. Distinct patrons
-- per unit are not additive; with one row per patron and unit they become plain counts
-- (int_library__active_patrons_by_unit). Patrons are identified by patron_hash, the first 64 bits of
-- their keyed hash: sorting and counting an integer is several times faster than the 64-character
-- text, and two of a city's patrons share it with a probability of about 1e-8 (half a million patrons).
-- The grain is enforced by a unique index.
--
-- Incremental, so that a night costs in proportion to its loans, not to the year's millions: a run
-- recomputes only the (year, patron) pairs of the loans delivered since the previous run — and of the
-- earlier versions those loans replaced — from fct_library_loans, and replaces all rows of each pair
-- (delete+insert on loan_year, patron_hash). A pair left without any loan keeps one row with
-- admin_level 'none', which every count ignores. When the map from libraries to units of a year
-- changed (a new register, new administrative units: its mapping_version differs), every pair of that
-- year is recomputed; a full refresh recomputes everything.
with

-- per year, a digest of the map from libraries to units (the libraries' wards, the roll-up of the
-- wards, the new province of each old ward)
geography as (

    select md5(
        (select coalesce(string_agg(concat_ws('|', admin_structure, ward_code, admin_level, admin_unit_code), ','
            order by admin_structure, ward_code, admin_level), '')
            from {{ ref('int_admin__ward_rollup') }})
        || (select coalesce(string_agg(concat_ws('|', old_ward_code, new_province_code), ',' order by old_ward_code), '')
            from {{ ref('int_admin__new_ward_of_old_ward') }})
    ) as digest

),

mapping as (

    select
        libraries.year as loan_year,
        md5(
            string_agg(concat_ws('|', libraries.library_code, libraries.admin_structure, libraries.ward_code), ','
                order by libraries.library_code, libraries.admin_structure)
            || max(geography.digest)
        ) as mapping_version
    from {{ ref('int_library__library_ward_by_year') }} as libraries
    cross join geography
    group by libraries.year

),

{% if is_incremental() %}

-- years whose rows were computed with another map: all their pairs are recomputed. Every row of a
-- year carries the same version (a remapped year is recomputed whole), so one row per year tells,
-- found through the unique index that starts with loan_year.
remapped as (

    select mapping.loan_year
    from mapping
    cross join lateral (
        select stored.mapping_version
        from {{ this }} as stored
        where stored.loan_year = mapping.loan_year
        limit 1
    ) as stored
    where stored.mapping_version is distinct from mapping.mapping_version

),

changed as (

    select loan_year, patron_key, replaced_loan_year, replaced_patron_key
    from {{ ref('stg_library__loans') }}
    where _loaded_at > (select max(loans_loaded_at) from {{ this }})

),

-- the (year, patron) pairs of the new loan versions and of the versions they replaced
changed_pairs as (

    select loan_year, patron_key from changed where patron_key is not null
    union
    select replaced_loan_year, replaced_patron_key from changed where replaced_patron_key is not null

),

patron_libraries as (

    -- a lateral lookup per pair: the index on (loan_year, patron_key) whatever the planner's estimate
    -- of the night's rows (a merge join over the whole year's loans is 100 times slower)
    select
        changed_pairs.loan_year,
        {{ patron_hash('changed_pairs.patron_key') }} as patron_hash,
        loans.library_code
    from changed_pairs
    cross join lateral (
        select distinct fct.library_code
        from {{ ref('fct_library_loans') }} as fct
        where fct.loan_year = changed_pairs.loan_year
            and fct.patron_key = changed_pairs.patron_key
    ) as loans

    union

    select
        loans.loan_year,
        {{ patron_hash('loans.patron_key') }} as patron_hash,
        loans.library_code
    from {{ ref('fct_library_loans') }} as loans
    inner join remapped
        on loans.loan_year = remapped.loan_year
    where loans.patron_key is not null

),

-- every pair recomputed, including those whose loans all went elsewhere
pairs as (

    select loan_year, {{ patron_hash('patron_key') }} as patron_hash from changed_pairs
    union
    select stored.loan_year, stored.patron_hash
    from {{ this }} as stored
    inner join remapped
        on stored.loan_year = remapped.loan_year

),

{% else %}

patron_libraries as (

    select distinct
        loan_year,
        {{ patron_hash('patron_key') }} as patron_hash,
        library_code
    from {{ ref('fct_library_loans') }}
    where patron_key is not null

),

{% endif %}

patron_wards as (

    select distinct
        patron_libraries.loan_year,
        patron_libraries.patron_hash,
        libraries.admin_structure,
        libraries.ward_code
    from patron_libraries
    inner join {{ ref('int_library__library_ward_by_year') }} as libraries
        on patron_libraries.library_code = libraries.library_code
        and patron_libraries.loan_year = libraries.year

),

native as (

    select distinct
        patron_wards.loan_year,
        patron_wards.patron_hash,
        rollup.admin_structure,
        rollup.admin_level,
        rollup.admin_unit_code
    from patron_wards
    inner join {{ ref('int_admin__ward_rollup') }} as rollup
        on patron_wards.admin_structure = rollup.admin_structure
        and patron_wards.ward_code = rollup.ward_code

),

projected as (

    select distinct
        patron_wards.loan_year,
        patron_wards.patron_hash,
        'post_2025' as admin_structure,
        'province' as admin_level,
        new_wards.new_province_code as admin_unit_code
    from patron_wards
    inner join {{ ref('int_admin__new_ward_of_old_ward') }} as new_wards
        on patron_wards.ward_code = new_wards.old_ward_code
    where patron_wards.admin_structure = 'pre_2025'

),

memberships as (

    select * from native
    union all
    select * from projected

{% if is_incremental() %}
    -- pairs left without any loan: one row that replaces their old memberships
    union all
    select
        pairs.loan_year,
        pairs.patron_hash,
        cast(null as text) as admin_structure,
        'none' as admin_level,
        cast(null as text) as admin_unit_code
    from pairs
    where not exists (
        select 1 from patron_wards
        where patron_wards.loan_year = pairs.loan_year
            and patron_wards.patron_hash = pairs.patron_hash
    )
{% endif %}

),

watermark as (

    select max(_loaded_at) as loans_loaded_at
    from {{ ref('stg_library__loans') }}

)

select
    cast(memberships.loan_year as integer) as loan_year,
    cast(memberships.patron_hash as bigint) as patron_hash,
    cast(memberships.admin_structure as text) as admin_structure,
    cast(memberships.admin_level as text) as admin_level,
    cast(memberships.admin_unit_code as text) as admin_unit_code,
    watermark.loans_loaded_at,
    mapping.mapping_version
from memberships
cross join watermark
left join mapping
    on memberships.loan_year = mapping.loan_year
