"""Hội Khuyến học — study-promotion association ward reports (yearly XLSX, one workbook per district).

The workbooks carry title rows, a two-row merged header, one row per ward and a "Tổng cộng" total
row (recognised, excluded and reported by the reader); the report year comes from a Năm column or
from the title ("... NĂM 2024").
"""

from __future__ import annotations

from .base import Column, Contract, Rule


def _pair(total: str, part: str, total_vi: str, part_vi: tuple[str, ...]) -> tuple[Column, Column]:
    return (
        Column(total, "integer", (total_vi,), min_value=0),
        Column(part, "integer", part_vi, min_value=0),
    )


_HOUSEHOLDS = _pair(
    "households_total",
    "households_learning",
    "Tổng số hộ gia đình",
    ('Số hộ đạt "Gia đình học tập"', "Số hộ đạt"),
)
_CLANS = _pair("clans_total", "clans_learning", "Tổng số dòng họ", ('Số dòng họ đạt "Dòng họ học tập"',))
_COMMUNITIES = _pair(
    "communities_total",
    "communities_learning",
    "Tổng số cộng đồng (khu phố, tổ dân phố, ấp)",
    ('Số đạt "Cộng đồng học tập"', 'Số cộng đồng đạt "Cộng đồng học tập"'),
)
_UNITS = _pair(
    "units_total",
    "units_learning",
    "Tổng số đơn vị (cơ quan, trường học, doanh nghiệp)",
    ('Số đạt "Đơn vị học tập"', 'Số đơn vị đạt "Đơn vị học tập"'),
)
_WORKERS = _pair(
    "workers_assessed",
    "workers_learning_citizen",
    "Số người lao động được đánh giá",
    ('Số người lao động đạt "Công dân học tập"',),
)
_OFFICIALS = _pair(
    "officials_total",
    "officials_learning_citizen",
    "Số CB, CC, VC",
    ('Số CB, CC, VC đạt "Công dân học tập"',),
)

KHUYENHOC_WARD_REPORT = Contract(
    source="khuyenhoc_ward_report",
    title_vi="Báo cáo xây dựng các mô hình học tập (Hội Khuyến học)",
    title_en="Study-promotion association ward report",
    cadence="yearly",
    freshness_days=400,
    formats=("xlsx", "csv"),
    period_column="report_year",
    period_kind="year",
    key=("ward_code", "report_year"),
    rules=tuple(
        Rule("le", part.name, total.name, message=f"{part.name} exceeds {total.name}")
        for total, part in (_HOUSEHOLDS, _CLANS, _COMMUNITIES, _UNITS, _WORKERS, _OFFICIALS)
    ),
    columns=(
        Column("ward_code", "text", ("Mã phường/xã", "Mã xã/phường"), required=True, semantic="ward_code"),
        Column(
            "ward_name",
            "text",
            ("Phường/Xã", "Xã/Phường", "Tên phường/xã"),
            semantic="ward_name",
            description="Checked against the code (warning).",
        ),
        Column(
            "report_year",
            "integer",
            ("Năm", "Năm báo cáo"),
            required=True,
            min_value=2000,
            max_value=2100,
            semantic="year",
        ),
        *_HOUSEHOLDS,
        *_CLANS,
        *_COMMUNITIES,
        *_UNITS,
        *_WORKERS,
        *_OFFICIALS,
        Column("fund_vnd", "bigint", ("Quỹ khuyến học (đồng)", "Quỹ khuyến học"), min_value=0),
        Column("scholarships", "integer", ("Số suất học bổng",), min_value=0),
    ),
)
