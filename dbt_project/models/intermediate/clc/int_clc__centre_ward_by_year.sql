-- One row per centre and calendar year in which it appears (register or activities): the ward it
-- belongs to that year, from the register of the same year, else the latest earlier register, else
-- the earliest later one; a pre-reform register used for a post-reform year is carried to the new
-- ward that received the largest share of the old ward.
with

registers as (

    select clc_code, report_year, ward_code, _file_id
    from {{ ref('stg_clc__centres') }}

),

years as (

    select clc_code, report_year as year from registers
    union
    select clc_code, activity_year as year from {{ ref('int_clc__activities_by_centre_year') }}

),

ranked as (

    select
        years.clc_code,
        years.year,
        registers.report_year as register_year,
        registers.ward_code as register_ward_code,
        registers._file_id as register_file_id,
        row_number() over (
            partition by years.clc_code, years.year
            order by
                case
                    when registers.report_year = years.year then 0
                    when registers.report_year < years.year then 1
                    else 2
                end,
                abs(registers.report_year - years.year)
        ) as register_rank
    from years
    inner join registers
        on years.clc_code = registers.clc_code

),

located as (

    select
        ranked.clc_code,
        ranked.year,
        {{ period_structure('ranked.year') }} as admin_structure,
        ranked.register_year,
        case
            when {{ period_structure('ranked.year') }} = {{ period_structure('ranked.register_year') }}
                then ranked.register_ward_code
            when {{ period_structure('ranked.register_year') }} = 'pre_2025'
                then new_wards.new_ward_code
        end as ward_code,
        ranked.register_file_id
    from ranked
    left join {{ ref('int_admin__new_ward_of_old_ward') }} as new_wards
        on ranked.register_ward_code = new_wards.old_ward_code
    where ranked.register_rank = 1

)

select * from located
where ward_code is not null
