"""A small hand-made raw dataset for the dbt tests, with the values it should produce worked out by hand.

Real GSO codes of Hồ Chí Minh City before the 2025 reform: the seven communes of Cần Giờ (district
787, reported completely) and one commune of Nhà Bè (district 786, reported partially), so that the
district 787 is complete, the district 786 and the province 79 are not, and the commune An Thới Đông
(27673), split in 2025 between the new communes Bình Khánh (27667) and An Thới Đông (27673), exercises
the apportionment onto the post-reform units.

Rows are inserted the way ingestion writes them: typed canonical columns plus the lineage columns,
with one audit.load_manifest row per file. A corrected file re-sends rows of an earlier one (the
latest load must win), the survey of 2024 lacks Lý Nhơn (27682, so its 2023 survey is the fallback),
Thạnh An (27676) reports no clans (zero denominator), and the CLC activity file comes from a run whose
validation failed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

CAN_GIO = ("27664", "27667", "27670", "27673", "27676", "27679", "27682")  # district 787
NHA_BE_REPORTING = ("27643",)  # one of the wards of district 786


@dataclass(frozen=True)
class RawFile:
    """One delivered file: its manifest row and its raw rows."""

    file_id: int
    source: str
    loaded_at: dt.datetime
    run_id: str
    rows: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return f"{self.source}_{self.file_id}.csv"


def _ts(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


# --- literacy_survey --------------------------------------------------------------------------------
SURVEY_COLUMNS = (
    "population",
    "pop_age_5",
    "pop_age_6",
    "pop_15_plus",
    "pop_15_35",
    "literate_15_35",
    "pop_15_60",
    "literate_15_60",
    "newly_literate",
    "newly_literate_retained",
    "pop_digital_skills_assessed",
    "digital_skills_basic",
)
SURVEY_2024 = {
    "27664": (10000, 150, 160, 7500, 3000, 2990, 6000, 5950, 20, 18, 1000, 600),
    "27667": (20000, 300, 310, 15000, 6000, 5900, 12000, 11800, 40, 30, 2000, 900),
    "27670": (8000, 120, 118, 6000, 2400, 2390, 4800, 4700, 10, 10, 500, 200),
    "27673": (6000, 90, 95, 4500, 1800, 1750, 3600, 3500, 12, 11, 400, 150),
    "27676": (4000, 60, 58, 3000, 1200, 1150, 2400, 2300, 5, 4, 300, 100),
    "27679": (12000, 180, 175, 9000, 3600, 3590, 7200, 7150, 15, 15, 800, 500),
    "27643": (30000, 450, 440, 22000, 9000, 8950, 18000, 17900, 30, 27, 3000, 2100),
}
# 2023: every ward, Lý Nhơn (27682) included; 2024 lacks Lý Nhơn.
SURVEY_2023 = {
    ward: tuple(v - 100 if i == 0 else v for i, v in enumerate(values))
    for ward, values in SURVEY_2024.items()
}
SURVEY_2023["27682"] = (5000, 70, 72, 3800, 1500, 1480, 3000, 2950, 8, 7, 200, 80)


def _survey_rows(year: int, values: dict[str, tuple[int, ...]]) -> tuple[dict[str, Any], ...]:
    return tuple(
        {"ward_code": ward, "survey_year": year, **dict(zip(SURVEY_COLUMNS, row, strict=True))}
        for ward, row in values.items()
    )


# --- khuyenhoc_ward_report --------------------------------------------------------------------------
KH_COLUMNS = (
    "households_total",
    "households_learning",
    "clans_total",
    "clans_learning",
    "communities_total",
    "communities_learning",
    "units_total",
    "units_learning",
    "workers_assessed",
    "workers_learning_citizen",
    "officials_total",
    "officials_learning_citizen",
    "fund_vnd",
    "scholarships",
)
KH_2024 = {
    "27664": (3000, 100, 10, 8, 12, 10, 30, 27, 500, 300, 80, 70, 150_000_000, 40),
    "27667": (6000, 4500, 20, 15, 25, 20, 50, 45, 900, 500, 150, 120, 200_000_000, 60),
    "27670": (2500, 2000, 8, 6, 10, 8, 20, 18, 400, 250, 60, 50, 80_000_000, 20),
    "27673": (1800, 1500, 6, 5, 8, 7, 15, 12, 300, 200, 40, 35, 60_000_000, 15),
    "27676": (1200, 1000, 0, 0, 5, 4, 10, 9, 200, 100, 30, 25, 30_000_000, 3),
    "27679": (3500, 2800, 12, 10, 14, 12, 35, 30, 600, 400, 90, 80, 120_000_000, 30),
    "27682": (1500, 1100, 5, 4, 6, 5, 12, 10, 250, 150, 35, 30, 50_000_000, 10),
}
KH_2024_CORRECTED_27664 = (3000, 2400, 10, 8, 12, 10, 30, 27, 500, 300, 80, 70, 150_000_000, 40)
KH_2024_NHA_BE = {"27643": (9000, 7000, 25, 20, 30, 25, 100, 90, 2000, 1200, 300, 260, 500_000_000, 100)}


def _kh_rows(values: dict[str, tuple[int, ...]]) -> tuple[dict[str, Any], ...]:
    return tuple(
        {
            "ward_code": ward,
            "ward_name": f"Xã {ward}",
            "report_year": 2024,
            **dict(zip(KH_COLUMNS, row, strict=True)),
        }
        for ward, row in values.items()
    )


# --- EMIS 2024-2025 ---------------------------------------------------------------------------------
SCHOOLS = (
    # school_code, level, ownership, ward, national_standard, has_internet
    ("TH001", "Tiểu học", "Công lập", "27664", "Mức 1", True),
    ("THCS01", "THCS", "Công lập", "27667", "Chưa đạt", False),
    ("MN001", "Mầm non", "Tư thục", "27667", None, True),
    ("MN002", "Mầm non", "Công lập", "27664", "Mức 2", None),
)
STUDENTS = (
    # n, school, grade, birth year, status, residence ward
    (1, "TH001", "1", 2018, "Đang học", "27664"),
    (2, "TH001", "1", 2018, "Đang học", "27667"),
    (3, "TH001", "1", 2017, "Đang học", "27664"),
    (4, "TH001", "3", 2016, "Bỏ học", "27664"),
    (5, "TH001", "5", 2014, "Đang học", "27664"),
    (6, "TH001", "2", 2017, "Chuyển đi", "27664"),
    (7, "TH001", "1", 2019, "Đang học", "27670"),
    (8, "MN002", "Mẫu giáo 5 tuổi", 2019, "Đang học", "27664"),
    (9, "MN002", "Mẫu giáo 5 tuổi", 2019, "Đang học", "27664"),
    (10, "MN002", "Mẫu giáo 4 tuổi", 2020, "Đang học", "27664"),
    (11, "MN002", "Mẫu giáo 5 tuổi", 2019, "Bỏ học", "27667"),
    (12, "MN001", "Mẫu giáo 5 tuổi", 2019, "Đang học", "27667"),
    (13, "MN001", "Nhà trẻ", 2022, "Đang học", "27667"),
    (14, "THCS01", "6", 2013, "Đang học", "27667"),
    (15, "THCS01", "7", 2012, "Bỏ học", "27667"),
    (16, "THCS01", "9", 2010, "Đang học", "27670"),
    (17, "THCS01", "8", 2011, "Lưu ban", "27667"),
)
TEACHERS = (
    # n, school, meets_standard
    (1, "TH001", True),
    (2, "TH001", True),
    (3, "TH001", False),
    (4, "MN002", True),
    (5, "MN001", False),
    (6, "MN001", True),
    (7, "THCS01", True),
    (8, "THCS01", True),
    (9, "THCS01", False),
    (10, "THCS01", None),
)

# --- libraries ----------------------------------------------------------------------------------------
LIBRARIES = (
    ("L1", "27664", "Thư viện xã/phường"),
    ("L2", "27673", "Phòng đọc cộng đồng"),
    ("L3", "27643", "Thư viện quận/huyện"),
)
LOANS_FILE_1 = (
    # loan_id, library, patron card, loan_ts, channel
    ("LN1", "L1", "P1", "2024-03-01 09:00", "Về nhà"),
    ("LN2", "L1", "P2", "2024-04-01 09:00", "Điện tử"),
    ("LN3", "L1", "P1", "2024-05-01 09:00", "Tại chỗ"),
    ("LN4", "L2", "P1", "2024-06-01 09:00", "Về nhà"),
    ("LN5", "L2", "P3", "2024-07-01 09:00", "Về nhà"),
    ("LN6", "L1", "P2", "2023-12-31 23:00", "Về nhà"),
    ("LN9", "L3", "P5", "2024-10-01 09:00", "Về nhà"),  # P5's only loan, corrected by the late file
)
LOANS_FILE_2 = (
    ("LN5", "L2", "P3", "2024-07-01 09:00", "Điện tử"),  # correction of LN5: the latest load wins
    # correction of LN9: another library and card, so P5 is no longer an active patron anywhere
    ("LN9", "L1", "P2", "2024-10-01 09:00", "Về nhà"),
    ("LN7", "L2", "P4", "2024-08-01 09:00", "Tại chỗ"),
    ("LN8", "L3", "P1", "2024-09-01 09:00", "Về nhà"),
)

# --- community learning centres -----------------------------------------------------------------------
CENTRES = (("C1", "27664", True), ("C2", "27670", False), ("C3", "27643", True), ("C4", "27667", True))
ACTIVITIES = (
    # activity_id, centre, start_date, program, participants
    ("A1", "C1", "2024-02-01", "Kỹ năng số", 30),
    ("A2", "C1", "2024-05-01", "Pháp luật", 20),
    ("A3", "C3", "2024-03-01", "Ngoại ngữ", 10),
    ("A4", "C4", "2024-12-30", "Kỹ năng số", 12),
    ("A5", "C4", "2023-11-01", "Khác", 9),
)
FAILED_VALIDATION_RUN = "run-clc"


def _student_id(n: int) -> str:
    return f"{790000000000 + n:012d}"


def files() -> tuple[RawFile, ...]:
    """Every file of the dataset except the second loan file (loaded later, for the incremental run)."""
    return (
        RawFile(
            1, "literacy_survey", _ts("2024-03-01 08:00"), "run-survey-2023", _survey_rows(2023, SURVEY_2023)
        ),
        RawFile(
            2, "literacy_survey", _ts("2025-03-01 08:00"), "run-survey-2024", _survey_rows(2024, SURVEY_2024)
        ),
        RawFile(3, "khuyenhoc_ward_report", _ts("2025-01-10 08:00"), "run-kh", _kh_rows(KH_2024)),
        RawFile(
            4,
            "khuyenhoc_ward_report",
            _ts("2025-01-20 08:00"),
            "run-kh-fix",
            _kh_rows({"27664": KH_2024_CORRECTED_27664}),
        ),
        RawFile(5, "khuyenhoc_ward_report", _ts("2025-01-11 08:00"), "run-kh", _kh_rows(KH_2024_NHA_BE)),
        RawFile(
            6,
            "emis_schools",
            _ts("2024-10-01 08:00"),
            "run-emis",
            tuple(
                {
                    "school_code": code,
                    "school_name": f"Trường {code}",
                    "level": level,
                    "ownership": ownership,
                    "ward_code": ward,
                    "national_standard": standard,
                    "has_internet": internet,
                    "has_library": True,
                    "school_year": "2024-2025",
                }
                for code, level, ownership, ward, standard, internet in SCHOOLS
            ),
        ),
        RawFile(
            7,
            "emis_students",
            _ts("2024-10-01 08:00"),
            "run-emis",
            tuple(
                {
                    "student_id": _student_id(n),
                    "full_name": f"Học sinh {n}",
                    "birth_date": dt.date(birth_year, 6, 15),
                    "gender": "Nam" if n % 2 else "Nữ",
                    "ethnicity": "Kinh",
                    "disability": False,
                    "school_code": school,
                    "grade": grade,
                    "status": status,
                    "residence_ward_code": residence,
                    "school_year": "2024-2025",
                }
                for n, school, grade, birth_year, status, residence in STUDENTS
            ),
        ),
        RawFile(
            8,
            "emis_teachers",
            _ts("2024-10-01 08:00"),
            "run-emis",
            tuple(
                {
                    "teacher_id": f"GV{n:04d}",
                    "full_name": f"Giáo viên {n}",
                    "birth_date": dt.date(1985, 1, 1),
                    "gender": "Nữ",
                    "school_code": school,
                    "qualification": "Đại học",
                    "meets_standard": meets,
                    "ict_trained": True,
                    "school_year": "2024-2025",
                }
                for n, school, meets in TEACHERS
            ),
        ),
        RawFile(
            9,
            "library_register",
            _ts("2024-02-01 08:00"),
            "run-library",
            tuple(
                {
                    "library_code": code,
                    "library_name": f"Thư viện {code}",
                    "library_type": kind,
                    "ward_code": ward,
                    "report_year": 2024,
                }
                for code, ward, kind in LIBRARIES
            ),
        ),
        _loan_file(10, _ts("2025-01-05 08:00"), "run-loans-1", LOANS_FILE_1),
        RawFile(
            12,
            "clc_register",
            _ts("2024-02-01 08:00"),
            "run-clc-register",
            tuple(
                {
                    "clc_code": code,
                    "clc_name": f"TTHTCĐ {code}",
                    "ward_code": ward,
                    "report_year": 2024,
                    "has_ict_equipment": ict,
                    "staff_count": 3,
                    "uses_ict_management": ict,
                }
                for code, ward, ict in CENTRES
            ),
        ),
        RawFile(
            13,
            "clc_activities",
            _ts("2025-01-02 08:00"),
            FAILED_VALIDATION_RUN,
            tuple(
                {
                    "activity_id": activity,
                    "clc_code": centre,
                    "start_date": dt.date.fromisoformat(start),
                    "end_date": dt.date.fromisoformat(start),
                    "program": program,
                    "mode": "Trực tiếp",
                    "sessions": 1,
                    "participants": participants,
                    "participants_female": participants // 2,
                    "participants_15_60": participants,
                    "participants_over_60": 0,
                }
                for activity, centre, start, program, participants in ACTIVITIES
            ),
        ),
        RawFile(
            14,
            "library_visits",
            _ts("2024-03-02 08:00"),
            "run-library",
            (
                {
                    "library_code": "L1",
                    "visit_date": dt.date(2024, 3, 1),
                    "visitors": 10,
                    "visitors_female": 6,
                    "visitors_under_16": 2,
                    "online_sessions": 4,
                },
                {
                    "library_code": "L2",
                    "visit_date": dt.date(2024, 3, 1),
                    "visitors": 7,
                    "visitors_female": 3,
                    "visitors_under_16": 1,
                    "online_sessions": 0,
                },
            ),
        ),
    )


def late_loan_file() -> RawFile:
    """The second loan file, loaded after the first dbt build: a correction and new loans."""
    return _loan_file(11, _ts("2025-01-06 08:00"), "run-loans-2", LOANS_FILE_2)


def _loan_file(
    file_id: int, loaded_at: dt.datetime, run_id: str, loans: Iterable[tuple[str, ...]]
) -> RawFile:
    return RawFile(
        file_id,
        "library_loans",
        loaded_at,
        run_id,
        tuple(
            {
                "loan_id": loan_id,
                "library_code": library,
                "item_id": f"IT-{loan_id}",
                "patron_id": card,
                "patron_birth_year": 1990,
                "patron_gender": "Nữ",
                "loan_ts": dt.datetime.fromisoformat(ts),
                "return_ts": None,
                "channel": channel,
            }
            for loan_id, library, card, ts, channel in loans
        ),
    )


def load(engine: sa.Engine, raw_files: Iterable[RawFile]) -> None:
    """Insert the files' manifest rows and raw rows, as ingestion would."""
    with engine.begin() as conn:
        for f in raw_files:
            conn.execute(
                sa.text(
                    "insert into audit.load_manifest (file_id, source, path, file_name, sha256, size_bytes, received_at,"
                    " loaded_at, rows_in, rows_loaded, rows_quarantined, status, run_id)"
                    " values (:file_id, :source, :path, :name, :sha, 1000, :at, :at, :n, :n, 0, 'loaded', :run)"
                ),
                {
                    "file_id": f.file_id,
                    "source": f.source,
                    "path": f"landing/{f.source}/{f.name}",
                    "name": f.name,
                    "sha": hashlib.sha256(f.name.encode()).hexdigest(),
                    "at": f.loaded_at,
                    "n": len(f.rows),
                    "run": f.run_id,
                },
            )
            for number, row in enumerate(f.rows, start=2):
                columns = [*row, "_file_id", "_sheet", "_row_number", "_loaded_at", "_run_id"]
                params = {
                    **row,
                    "_file_id": f.file_id,
                    "_sheet": None,
                    "_row_number": number,
                    "_loaded_at": f.loaded_at,
                    "_run_id": f.run_id,
                }
                conn.execute(
                    sa.text(
                        f"insert into raw.{f.source} ({', '.join(columns)}) values ({', '.join(':' + c for c in columns)})"
                    ),
                    params,
                )
        conn.execute(
            sa.text(
                "select setval('audit.load_manifest_file_id_seq', (select max(file_id) from audit.load_manifest))"
            )
        )


def load_validation_failure(engine: sa.Engine) -> None:
    """A failed expectation of severity error in the run that loaded the CLC activities."""
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into audit.validation_results (run_id, source, table_name, suite, expectation, column_name,"
                " success, unexpected_count, severity)"
                " values (:run, 'clc_activities', 'raw.clc_activities', 'clc_activities', "
                "'expect_column_values_to_be_between', 'participants', false, 1, 'error')"
            ),
            {"run": FAILED_VALIDATION_RUN},
        )
