{# School level of a pupil from the grade: Nhà trẻ / Mẫu giáo -> Mầm non, 1-5 Tiểu học, 6-9 THCS, 10-12 THPT. #}
{% macro education_level_from_grade(grade) -%}
    case
        when {{ grade }} = 'Nhà trẻ' or {{ grade }} like 'Mẫu giáo%' then 'Mầm non'
        when {{ grade }} in ('1', '2', '3', '4', '5') then 'Tiểu học'
        when {{ grade }} in ('6', '7', '8', '9') then 'THCS'
        when {{ grade }} in ('10', '11', '12') then 'THPT'
    end
{%- endmacro %}
