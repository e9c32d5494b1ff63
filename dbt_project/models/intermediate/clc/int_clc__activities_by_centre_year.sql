-- One row per centre and activity year (year of start_date): activities, participations, digital-skills
-- participations and the files they came from.
select
    clc_code,
    activity_year,
    count(*) as activities,
    sum(participants) as participants,
    coalesce(sum(participants) filter (where program = 'Kỹ năng số'), 0) as digital_participants,
    array_agg(distinct _file_id order by _file_id) as source_files
from {{ ref('fct_clc_activities') }}
group by clc_code, activity_year
