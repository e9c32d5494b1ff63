"""Community learning centres — Trung tâm học tập cộng đồng (monthly)."""

from __future__ import annotations

from .base import Column, Contract, Reference, Rule
from .library import REPORT_YEAR

CLC_REGISTER = Contract(
    source="clc_register",
    title_vi="Danh sách TTHTCĐ",
    title_en="Community learning centre register",
    cadence="yearly snapshot",
    freshness_days=400,
    period_column="report_year",
    period_kind="year",
    key=("clc_code", "report_year"),
    columns=(
        Column("clc_code", "text", ("Mã TTHTCĐ",), required=True),
        Column("clc_name", "text", ("Tên TTHTCĐ",), required=True),
        Column(
            "ward_code", "text", ("Mã xã/phường", "Mã phường", "Mã xã"), required=True, semantic="ward_code"
        ),
        REPORT_YEAR,
        Column("has_ict_equipment", "boolean", ("Có thiết bị CNTT",)),
        Column("staff_count", "integer", ("Số cán bộ",), min_value=0),
        Column("uses_ict_management", "boolean", ("Ứng dụng CNTT trong quản lý", "Ứng dụng CNTT")),
    ),
)

PROGRAMS = (
    "Xóa mù chữ",
    "Sau xóa mù chữ",
    "Kỹ năng số",
    "Ngoại ngữ",
    "Kỹ năng nghề",
    "Pháp luật",
    "Sức khỏe",
    "Văn hóa – xã hội",
    "Khác",
)

CLC_ACTIVITIES = Contract(
    source="clc_activities",
    title_vi="Hoạt động TTHTCĐ",
    title_en="Community learning centre activities",
    cadence="monthly",
    freshness_days=45,
    period_column="start_date",
    period_kind="date",
    key=("activity_id",),
    rules=(
        Rule("not_before", "end_date", "start_date", message="end_date is before start_date"),
        Rule("le", "participants_female", "participants", message="participants_female exceeds participants"),
        Rule("le", "participants_15_60", "participants", message="participants_15_60 exceeds participants"),
        Rule(
            "le", "participants_over_60", "participants", message="participants_over_60 exceeds participants"
        ),
    ),
    references=(Reference("clc_code", "clc_register", "clc_code", same_period=False),),
    columns=(
        Column("activity_id", "text", ("Mã hoạt động",), required=True),
        Column("clc_code", "text", ("Mã TTHTCĐ",), required=True),
        Column("start_date", "date", ("Ngày bắt đầu",), required=True),
        Column("end_date", "date", ("Ngày kết thúc",)),
        Column(
            "program",
            "text",
            ("Chương trình",),
            required=True,
            allowed=PROGRAMS,
            value_aliases={
                "Văn hóa - xã hội": "Văn hóa – xã hội",
                "Sức khoẻ": "Sức khỏe",
                "Xoá mù chữ": "Xóa mù chữ",
            },
        ),
        Column("mode", "text", ("Hình thức",), allowed=("Trực tiếp", "Trực tuyến", "Kết hợp")),
        Column("sessions", "integer", ("Số buổi",), min_value=1),
        Column("participants", "integer", ("Số lượt người học",), required=True, min_value=0),
        Column("participants_female", "integer", ("Trong đó nữ",), min_value=0),
        Column("participants_15_60", "integer", ("Độ tuổi 15–60", "Độ tuổi 15-60"), min_value=0),
        Column("participants_over_60", "integer", ("Trên 60 tuổi",), min_value=0),
    ),
)
