-- One row per registered library and calendar year with a register or loans: the ward the library
-- belongs to that year, from the register of the same year, else the latest earlier register, else the
-- earliest later one. A pre-reform register used for a post-reform year is carried to the new ward
-- that received the largest share of the old ward. Every registered library gets a row for every such
-- year, whether or not it lent that year, so that a year's map only changes with the registers (the
-- incremental int_library__patron_units recomputes a year when its map changes).
with

registers as (

    select library_code, report_year, ward_code, _file_id
    from {{ ref('stg_library__libraries') }}

),

libraries as (

    select distinct library_code
    from registers

),

all_years as (

    select report_year as year from registers
    union
    select loan_year as year from {{ ref('int_library__loans_by_library_year') }}

),

years as (

    select libraries.library_code, all_years.year
    from libraries
    cross join all_years

),

ranked as (

    select
        years.library_code,
        years.year,
        registers.report_year as register_year,
        registers.ward_code as register_ward_code,
        registers._file_id as register_file_id,
        row_number() over (
            partition by years.library_code, years.year
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
        on years.library_code = registers.library_code

),

located as (

    select
        ranked.library_code,
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
