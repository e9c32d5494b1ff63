"""Literacy and universal-education survey — Điều tra phổ cập giáo dục, xóa mù chữ (yearly, per ward).

The ward population counts of this survey are the denominators of every per-capita and
age-specific indicator.
"""

from __future__ import annotations

from .base import Column, Contract, Rule


def _count(name: str, *headers: str) -> Column:
    return Column(name, "integer", headers, min_value=0)


LITERACY_SURVEY = Contract(
    source="literacy_survey",
    title_vi="Điều tra phổ cập giáo dục, xóa mù chữ",
    title_en="Literacy and universal-education survey",
    cadence="yearly",
    freshness_days=400,
    period_column="survey_year",
    period_kind="year",
    key=("ward_code", "survey_year"),
    rules=(
        Rule("le", "pop_15_plus", "population", message="pop_15_plus exceeds population"),
        Rule("le", "literate_15_35", "pop_15_35", message="literate_15_35 exceeds pop_15_35"),
        Rule("le", "literate_15_60", "pop_15_60", message="literate_15_60 exceeds pop_15_60"),
        Rule(
            "le",
            "newly_literate_retained",
            "newly_literate",
            message="newly_literate_retained exceeds newly_literate",
        ),
        Rule(
            "le",
            "digital_skills_basic",
            "pop_digital_skills_assessed",
            message="digital_skills_basic exceeds assessed",
        ),
    ),
    columns=(
        Column("ward_code", "text", ("Mã phường/xã", "Mã xã/phường"), required=True, semantic="ward_code"),
        Column(
            "survey_year",
            "integer",
            ("Năm điều tra",),
            required=True,
            min_value=2000,
            max_value=2100,
            semantic="year",
        ),
        Column("population", "integer", ("Tổng dân số",), required=True, min_value=0),
        _count("pop_age_5", "Số trẻ 5 tuổi"),
        _count("pop_age_6", "Số trẻ 6 tuổi"),
        _count("pop_15_plus", "Dân số từ 15 tuổi trở lên"),
        _count("pop_15_35", "Dân số 15–35 tuổi", "Dân số 15-35 tuổi"),
        _count(
            "literate_15_35", "Dân số 15–35 tuổi biết chữ", "Trong đó biết chữ (15–35)", "Trong đó biết chữ"
        ),
        _count("pop_15_60", "Dân số 15–60 tuổi", "Dân số 15-60 tuổi"),
        _count("literate_15_60", "Dân số 15–60 tuổi biết chữ mức độ 2", "Trong đó biết chữ mức độ 2"),
        _count("newly_literate", "Số người mới biết chữ"),
        _count(
            "newly_literate_retained", "Số người mới biết chữ không tái mù chữ", "Trong đó không tái mù chữ"
        ),
        _count("pop_digital_skills_assessed", "Số người được đánh giá kỹ năng số"),
        _count("digital_skills_basic", "Số người đạt kỹ năng số cơ bản", "Trong đó đạt cơ bản"),
    ),
)
