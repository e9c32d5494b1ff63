"""EMIS exports: schools, students and teachers (one snapshot per school year, refreshed nightly).

Two forms load through the same contract: the human form (Vietnamese headers and labels) and the
coded form of the Ministry's education database (CSDL ngành): upper-case field names with `` *`` on
required fields and numeric codes from the DM_* lists. The coded field names and code lists come
from the reference seeds (``ingestion.reference``), derived from the Ministry's data dictionary.
"""

from __future__ import annotations

from .base import Column, Contract, Reference, Rule

SCHOOL_YEAR = Column(
    "school_year",
    "text",
    ("Năm học", "NAM_HOC"),
    required=True,
    pattern=r"^\d{4}-\d{4}$",
    semantic="school_year",
    description="School year written yyyy-yyyy, e.g. 2024-2025.",
)

LEVELS = ("Mầm non", "Tiểu học", "THCS", "THPT", "GDTX", "Liên cấp")

EMIS_SCHOOLS = Contract(
    source="emis_schools",
    title_vi="Trường học",
    title_en="Schools",
    cadence="school-year snapshot, refreshed nightly",
    freshness_days=2,
    period_column="school_year",
    period_kind="school_year",
    key=("school_code", "school_year"),
    columns=(
        Column("school_code", "text", ("Mã trường",), required=True, description="EMIS school code."),
        Column("school_name", "text", ("Tên trường",), required=True, description="School name."),
        Column(
            "level",
            "text",
            ("Cấp học",),
            required=True,
            allowed=LEVELS,
            value_aliases={
                "Trung học cơ sở": "THCS",
                "Trung học phổ thông": "THPT",
                "Giáo dục thường xuyên": "GDTX",
            },
            code_list="DM_CAP_HOC",
            description="School level.",
        ),
        Column(
            "ownership",
            "text",
            ("Loại hình",),
            allowed=("Công lập", "Tư thục", "Dân lập"),
            code_list="DM_LOAI_HINH",
            description="Public (Công lập), private (Tư thục) or people-founded (Dân lập).",
        ),
        Column(
            "ward_code",
            "text",
            ("Mã xã/phường", "Mã phường", "Mã xã"),
            required=True,
            semantic="ward_code",
            description="GSO code of the school's ward/commune.",
        ),
        Column(
            "national_standard",
            "text",
            ("Đạt chuẩn quốc gia",),
            allowed=("Chưa đạt", "Mức 1", "Mức 2"),
            code_list="DM_MUC_DAT_CHUAN_QG_CLGD",
            description="National-standard recognition level.",
        ),
        Column("has_internet", "boolean", ("Kết nối Internet",), description="Connected to the Internet."),
        Column("has_library", "boolean", ("Có thư viện",), description="Has a library."),
        SCHOOL_YEAR,
    ),
)

EMIS_STUDENTS = Contract(
    source="emis_students",
    title_vi="Học sinh",
    title_en="Students",
    cadence="school-year snapshot, refreshed nightly",
    freshness_days=2,
    period_column="school_year",
    period_kind="school_year",
    key=("student_id", "school_year"),
    rules=(
        Rule(
            "age_between", "birth_date", low=2, high=25, message="age must be 2–25 at the school year's start"
        ),
    ),
    references=(Reference("school_code", "emis_schools", "school_code"),),
    columns=(
        Column(
            "student_id",
            "text",
            ("Mã định danh", "Mã học sinh", "Số định danh cá nhân"),
            required=True,
            pattern=r"^\d{12}$",
            personal=True,
            description="Personal identification number (12 digits). Personal data: raw layer only.",
        ),
        Column(
            "full_name", "text", ("Họ và tên",), personal=True, description="Personal data: raw layer only."
        ),
        Column(
            "birth_date",
            "date",
            ("Ngày sinh",),
            required=True,
            personal=True,
            not_future=True,
            description="Date of birth.",
        ),
        Column(
            "gender", "text", ("Giới tính",), required=True, allowed=("Nam", "Nữ"), code_list="DM_GIOI_TINH"
        ),
        Column("ethnicity", "text", ("Dân tộc",), code_list="DM_DAN_TOC", description="Ethnic group."),
        Column("disability", "boolean", ("Khuyết tật",), description="Has a disability."),
        Column("school_code", "text", ("Mã trường",), required=True, description="School of enrolment."),
        Column(
            "grade",
            "text",
            ("Khối", "Lớp"),
            required=True,
            allowed=("Nhà trẻ", "Mẫu giáo 3 tuổi", "Mẫu giáo 4 tuổi", "Mẫu giáo 5 tuổi")
            + tuple(str(g) for g in range(1, 13)),
            code_list="DM_KHOI",
            description="Grade: Nhà trẻ, Mẫu giáo 3/4/5 tuổi, or 1–12 ('Lớp 6' and 'Khối 6' are read as 6).",
        ),
        Column(
            "status",
            "text",
            ("Trạng thái",),
            required=True,
            allowed=("Đang học", "Bỏ học", "Chuyển đi", "Hoàn thành chương trình", "Lưu ban"),
            code_list="DM_TRANG_THAI_HOC_SINH",
        ),
        Column(
            "residence_ward_code",
            "text",
            ("Mã xã/phường thường trú",),
            semantic="ward_code",
            description="GSO code of the ward of permanent residence.",
        ),
        SCHOOL_YEAR,
    ),
)

EMIS_TEACHERS = Contract(
    source="emis_teachers",
    title_vi="Giáo viên",
    title_en="Teachers",
    cadence="school-year snapshot, refreshed nightly",
    freshness_days=2,
    period_column="school_year",
    period_kind="school_year",
    key=("teacher_id", "school_year"),
    rules=(Rule("age_between", "birth_date", low=18, high=70, message="age must be 18–70"),),
    references=(Reference("school_code", "emis_schools", "school_code"),),
    columns=(
        Column("teacher_id", "text", ("Mã định danh",), required=True, personal=True),
        Column("full_name", "text", ("Họ và tên",), personal=True),
        Column("birth_date", "date", ("Ngày sinh",), personal=True, not_future=True),
        Column("gender", "text", ("Giới tính",), allowed=("Nam", "Nữ"), code_list="DM_GIOI_TINH"),
        Column("school_code", "text", ("Mã trường",), required=True),
        Column(
            "qualification",
            "text",
            ("Trình độ đào tạo",),
            allowed=("Trung cấp", "Cao đẳng", "Đại học", "Thạc sĩ", "Tiến sĩ"),
            code_list="DM_TRINH_DO_CHUYEN_MON",
        ),
        Column(
            "meets_standard",
            "boolean",
            ("Đạt chuẩn trình độ",),
            code_list="DM_CHUAN_DAO_TAO",
            description="Meets the training standard of the Education Law 2019.",
        ),
        Column("ict_trained", "boolean", ("Bồi dưỡng CNTT",), description="Trained in ICT."),
        SCHOOL_YEAR,
    ),
)
