{{
    config(
        alias='indicator_values',
        contract={'enforced': true},
        indexes=[{'columns': ['indicator_code', 'admin_structure', 'admin_level', 'admin_unit_code', 'period']}]
    )
}}
-- marts.indicator_values: the long table every report is built from (shared/spec/warehouse.md).
-- Grain: one row per indicator, administrative structure, unit (ward, district, province), period and
-- breakdown. Rates are pooled: the units above the ward sum numerators and denominators of their
-- reporting wards, never average percentages. Pre-reform periods are also carried to the post-reform
-- wards and provinces through the crosswalk (apportioned by population share where a ward was split).
with

components as materialized (

    select * from {{ ref('int_indicators__ward_components') }}

),

crosswalk as (

    select * from {{ ref('dim_ward_crosswalk') }}

),

crosswalk_sizes as (

    select new_ward_code, count(distinct old_ward_code) as old_wards
    from crosswalk
    group by new_ward_code

),

native_wards as (

    select
        indicator_code,
        period,
        period_year,
        admin_structure,
        ward_code,
        breakdown,
        numerator,
        denominator,
        is_reported,
        is_reported as is_complete,
        is_population_fallback,
        false as is_apportioned,
        source_files
    from components

),

-- pre-reform wards carried to the new wards: the reporting parts are apportioned and summed
projected_wards as (

    select
        components.indicator_code,
        components.period,
        components.period_year,
        'post_2025' as admin_structure,
        crosswalk.new_ward_code as ward_code,
        components.breakdown,
        sum(components.numerator * crosswalk.population_share)
            filter (where components.is_reported) as numerator,
        sum(components.denominator * crosswalk.population_share)
            filter (where components.is_reported) as denominator,
        bool_or(components.is_reported) as is_reported,
        count(distinct components.ward_code) filter (where components.is_reported)
            = max(crosswalk_sizes.old_wards) as is_complete,
        bool_or(components.is_population_fallback and components.is_reported) as is_population_fallback,
        bool_or(crosswalk.is_apportioned and components.is_reported) as is_apportioned,
        {{ agg_file_ids('components.source_files') }} as source_files
    from components
    inner join crosswalk
        on components.ward_code = crosswalk.old_ward_code
    inner join crosswalk_sizes
        on crosswalk.new_ward_code = crosswalk_sizes.new_ward_code
    where components.admin_structure = 'pre_2025'
    group by
        components.indicator_code,
        components.period,
        components.period_year,
        crosswalk.new_ward_code,
        components.breakdown

),

ward_rows as (

    select * from native_wards
    union all
    select * from projected_wards

),

rollup as (

    select * from {{ ref('int_admin__ward_rollup') }}

),

wards_expected as (

    select admin_structure, admin_level, admin_unit_code, count(distinct ward_code) as wards_expected
    from rollup
    group by admin_structure, admin_level, admin_unit_code

),

aggregated as (

    select
        ward_rows.indicator_code,
        ward_rows.period,
        ward_rows.period_year,
        ward_rows.admin_structure,
        rollup.admin_level,
        rollup.admin_unit_code,
        ward_rows.breakdown,
        case
            when rollup.admin_level = 'ward' then max(ward_rows.numerator)
            else sum(ward_rows.numerator) filter (where ward_rows.is_reported)
        end as numerator,
        case
            when rollup.admin_level = 'ward' then max(ward_rows.denominator)
            else sum(ward_rows.denominator) filter (where ward_rows.is_reported)
        end as denominator,
        count(*) filter (where ward_rows.is_reported and ward_rows.is_complete) as wards_reported,
        coalesce(bool_or(ward_rows.is_population_fallback) filter (where ward_rows.is_reported), false)
            as is_population_fallback,
        coalesce(bool_or(ward_rows.is_apportioned) filter (where ward_rows.is_reported), false) as is_apportioned,
        {{ agg_file_ids('ward_rows.source_files') }} as source_files
    from ward_rows
    inner join rollup
        on ward_rows.admin_structure = rollup.admin_structure
        and ward_rows.ward_code = rollup.ward_code
    group by
        ward_rows.indicator_code,
        ward_rows.period,
        ward_rows.period_year,
        ward_rows.admin_structure,
        rollup.admin_level,
        rollup.admin_unit_code,
        ward_rows.breakdown

),

-- distinct patrons are not additive: districts and provinces take the distinct count of the unit
active_patrons as (

    select * from {{ ref('int_library__active_patrons_by_unit') }}

),

with_distinct_counts as (

    select
        aggregated.indicator_code,
        aggregated.period,
        aggregated.period_year,
        aggregated.admin_structure,
        aggregated.admin_level,
        aggregated.admin_unit_code,
        aggregated.breakdown,
        case
            when aggregated.indicator_code = 'LIB_ACTIVE_PATRONS' and aggregated.admin_level <> 'ward'
                then cast(coalesce(active_patrons.active_patrons, 0) as numeric)
            else aggregated.numerator
        end as numerator,
        aggregated.denominator,
        aggregated.wards_reported,
        aggregated.is_population_fallback,
        aggregated.is_apportioned,
        aggregated.source_files
    from aggregated
    left join active_patrons
        on aggregated.indicator_code = 'LIB_ACTIVE_PATRONS'
        and aggregated.period_year = active_patrons.loan_year
        and aggregated.admin_structure = active_patrons.admin_structure
        and aggregated.admin_level = active_patrons.admin_level
        and aggregated.admin_unit_code = active_patrons.admin_unit_code

),

catalogue as (

    select * from {{ ref('indicator_catalogue') }}

),

units as (

    select * from {{ ref('dim_admin_unit') }}

),

targets as (

    select * from {{ ref('indicator_targets') }}
    where city <> 'national'

),

failed_files as (

    select coalesce(array_agg(file_id), cast(array[] as bigint[])) as file_ids
    from {{ ref('stg_audit__files') }}
    where failed_validation

),

valued as (

    select
        indicator_rows.indicator_code,
        indicator_rows.admin_unit_code,
        indicator_rows.admin_level,
        indicator_rows.admin_structure,
        units.admin_unit_name,
        indicator_rows.period,
        indicator_rows.period_year,
        indicator_rows.breakdown,
        indicator_rows.numerator,
        indicator_rows.denominator,
        {{ indicator_value('indicator_rows.numerator', 'indicator_rows.denominator', 'catalogue.unit_multiplier', 'catalogue.unit_multiplier is null') }} as value,
        catalogue.unit,
        catalogue.direction,
        catalogue.unit_multiplier is null as is_count,
        indicator_rows.wards_reported,
        wards_expected.wards_expected,
        indicator_rows.is_population_fallback,
        indicator_rows.is_apportioned,
        indicator_rows.source_files && failed_files.file_ids as has_failed_validation,
        indicator_rows.source_files,
        units.district_code,
        units.province_code
    from with_distinct_counts as indicator_rows
    inner join catalogue
        on indicator_rows.indicator_code = catalogue.indicator_code
    inner join wards_expected
        on indicator_rows.admin_structure = wards_expected.admin_structure
        and indicator_rows.admin_level = wards_expected.admin_level
        and indicator_rows.admin_unit_code = wards_expected.admin_unit_code
    left join units
        on indicator_rows.admin_structure = units.admin_structure
        and indicator_rows.admin_unit_code = units.admin_unit_code
    cross join failed_files

),

targeted as (

    select
        valued.*,
        city_target.target_value,
        city_target.target_year
    from valued
    left join lateral (
        select targets.target_value, targets.target_year
        from targets
        where targets.indicator_code = valued.indicator_code
            and targets.admin_unit_code in (valued.admin_unit_code, valued.district_code, valued.province_code)
        order by
            case targets.admin_level when 'district' then 0 else 1 end,
            case
                when targets.target_year >= valued.period_year then 0
                when targets.target_year is null then 1
                else 2
            end,
            case when targets.target_year >= valued.period_year then targets.target_year end,
            targets.target_year desc
        limit 1
    ) as city_target on true

),

flagged as (

    select
        targeted.*,
        array_remove(array[
            case
                when not targeted.is_count and (targeted.denominator is null or targeted.denominator = 0)
                    then 'no_denominator'
            end,
            case when targeted.has_failed_validation then 'failed_validation' end,
            case when targeted.wards_reported < targeted.wards_expected then 'incomplete' end,
            case when targeted.is_population_fallback then 'population_fallback' end,
            case when targeted.is_apportioned then 'apportioned' end
        ], null) as quality_flags
    from targeted

)

select
    cast(indicator_code as text) as indicator_code,
    cast(admin_unit_code as text) as admin_unit_code,
    cast(admin_level as text) as admin_level,
    cast(admin_structure as text) as admin_structure,
    cast(admin_unit_name as text) as admin_unit_name,
    cast(period as text) as period,
    cast(period_year as integer) as period_year,
    cast(breakdown as text) as breakdown,
    cast(numerator as numeric(20, 2)) as numerator,
    cast(denominator as numeric(20, 2)) as denominator,
    cast(value as numeric(14, 2)) as value,
    cast(unit as text) as unit,
    cast(target_value as numeric(14, 2)) as target_value,
    cast(target_year as integer) as target_year,
    cast(
        case
            when value is null or target_value is null then null
            when direction = 'lower' then value <= target_value
            else value >= target_value
        end
        as boolean
    ) as meets_target,
    cast(coalesce(quality_flags[1], 'ok') as text) as quality_flag,
    cast(quality_flags as text[]) as quality_flags,
    cast(wards_reported as integer) as wards_reported,
    cast(wards_expected as integer) as wards_expected,
    cast(source_files as bigint[]) as source_files
from flagged
