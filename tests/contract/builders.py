"""Fixture builders for the contract tests: small, valid files of every source, written in code.

A test starts from ``records(source)`` (valid rows as canonical column → cell), breaks what it wants,
and writes the table as CSV (any encoding and delimiter) or XLSX (title rows, merged headers, typed
cells). Nothing binary is committed: every fixture is generated under pytest's ``tmp_path``.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from ingestion import reference
from ingestion.sources import get_contract

#: Real wards of Ho Chi Minh City before the 2025 reform (code, short name).
WARDS: list[tuple[str, str]] = [(u.unit_code, u.unit_name) for u in reference.hcmc_wards_pre2025()[:6]]
#: A code that exists only after the reform (invalid for the school year 2024-2025).
POST_ONLY_WARD: str = sorted(
    reference.ward_codes(reference.POST_2025) - reference.ward_codes(reference.PRE_2025)
)[0]
#: A valid pre-2025 ward whose code starts with zeros (Hà Nội): written as a number it loses them.
ZERO_WARD = "00004"

TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def _valid(source: str, i: int, salt: str) -> dict[str, Any]:
    ward, ward_name = WARDS[i % len(WARDS)]
    if source == "emis_schools":
        return {
            "school_code": f"TH{i:03d}",
            "school_name": f"Trường Tiểu học {salt} số {i}",
            "level": "Tiểu học",
            "ownership": "Công lập",
            "ward_code": ward,
            "national_standard": "Mức 1",
            "has_internet": "Có",
            "has_library": "Không",
            "school_year": "2024-2025",
        }
    if source == "emis_students":
        return {
            "student_id": f"0790000{i:05d}",
            "full_name": f"Nguyễn Văn {salt} {i}",
            "birth_date": "15/05/2015",
            "gender": "Nam",
            "ethnicity": "Kinh",
            "disability": "Không",
            "school_code": "TH001",
            "grade": "3",
            "status": "Đang học",
            "residence_ward_code": ward,
            "school_year": "2024-2025",
        }
    if source == "emis_teachers":
        return {
            "teacher_id": f"GV{i:04d}",
            "full_name": f"Trần Thị {salt} {i}",
            "birth_date": "01/01/1985",
            "gender": "Nữ",
            "school_code": "TH001",
            "qualification": "Đại học",
            "meets_standard": "Có",
            "ict_trained": "Có",
            "school_year": "2024-2025",
        }
    if source == "library_register":
        return {
            "library_code": f"TV{i:03d}",
            "library_name": f"Thư viện {salt} {i}",
            "library_type": "Thư viện xã/phường",
            "ward_code": ward,
            "opened_date": "01/01/2010",
            "report_year": "2024",
        }
    if source == "library_loans":
        return {
            "loan_id": f"L{salt}{i:06d}",
            "library_code": "TV001",
            "item_id": f"S{i}",
            "patron_id": f"P{i}",
            "patron_birth_year": "1990",
            "patron_gender": "Nam",
            "loan_ts": f"2024-03-0{1 + i % 9} 09:00:00",
            "return_ts": "2024-03-20 10:00:00",
            "channel": "Về nhà",
        }
    if source == "library_visits":
        return {
            "library_code": "TV001",
            "visit_date": f"{1 + i:02d}/03/2024",
            "visitors": "120",
            "visitors_female": "60",
            "visitors_under_16": "20",
            "online_sessions": "5",
        }
    if source == "clc_register":
        return {
            "clc_code": f"TT{i:03d}",
            "clc_name": f"TTHTCĐ {salt} {ward_name}",
            "ward_code": ward,
            "report_year": "2024",
            "has_ict_equipment": "Có",
            "staff_count": "3",
            "uses_ict_management": "Không",
        }
    if source == "clc_activities":
        return {
            "activity_id": f"HD{salt}{i:04d}",
            "clc_code": "TT001",
            "start_date": "01/03/2024",
            "end_date": "15/03/2024",
            "program": "Kỹ năng số",
            "mode": "Trực tiếp",
            "sessions": "4",
            "participants": "30",
            "participants_female": "15",
            "participants_15_60": "25",
            "participants_over_60": "5",
        }
    if source == "khuyenhoc_ward_report":
        return {
            "ward_code": ward,
            "ward_name": f"Phường {ward_name}",
            "report_year": "2024",
            "households_total": "1.200",
            "households_learning": "900",
            "clans_total": "4",
            "clans_learning": "3",
            "communities_total": "12",
            "communities_learning": "10",
            "units_total": "40",
            "units_learning": "31",
            "workers_assessed": "55",
            "workers_learning_citizen": "21",
            "officials_total": "30",
            "officials_learning_citizen": "25",
            "fund_vnd": "125.000.000",
            "scholarships": str(2 + i),
        }
    if source == "literacy_survey":
        return {
            "ward_code": ward,
            "survey_year": "2024",
            "population": "10.000",
            "pop_age_5": "150",
            "pop_age_6": "160",
            "pop_15_plus": "8.000",
            "pop_15_35": "3.000",
            "literate_15_35": "2.990",
            "pop_15_60": "6.000",
            "literate_15_60": "5.900",
            "newly_literate": "12",
            "newly_literate_retained": "10",
            "pop_digital_skills_assessed": "500",
            "digital_skills_basic": "300",
        }
    raise KeyError(source)


def records(source: str, n: int = 3, salt: str = "", **overrides: Any) -> list[dict[str, Any]]:
    """``n`` valid rows of ``source``; ``overrides`` replace a column in every row."""
    rows = [_valid(source, i + 1, salt) for i in range(n)]
    for row in rows:
        row.update(overrides)
    return rows


def headers(source: str, kind: str = "vi") -> dict[str, str]:
    """Header of every column: Vietnamese (``vi``), canonical (``canonical``) or coded EMIS (``coded``)."""
    contract = get_contract(source)
    if kind == "canonical":
        return {c.name: c.name for c in contract.columns}
    if kind == "coded":
        coded: dict[str, str] = {}
        for field_name, canonical in reference.emis_field_aliases(source).items():
            coded.setdefault(canonical, field_name)
        return {c.name: coded.get(c.name, c.name) for c in contract.columns}
    return {c.name: (c.headers[0] if c.headers else c.name) for c in contract.columns}


def table(
    source: str,
    rows: Sequence[dict[str, Any]],
    *,
    kind: str = "vi",
    columns: Sequence[str] | None = None,
    rename: dict[str, str] | None = None,
) -> list[list[Any]]:
    """Header row + data rows; ``columns`` selects and orders columns, ``rename`` overrides headers."""
    names = list(columns) if columns is not None else list(rows[0]) if rows else list(headers(source))
    labels = {**headers(source, kind), **(rename or {})}
    return [[labels.get(n, n) for n in names]] + [[row.get(n, "") for n in names] for row in rows]


def cp1258_bytes(text: str) -> bytes:
    """Windows-1258 as old exports write it: base letters, then the tone mark as a combining character."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONE_MARKS))
        out.append((base + "".join(c for c in decomposed if c in TONE_MARKS)).encode("cp1258"))
    return b"".join(out)


def write_csv(
    path: Path, rows: Iterable[Sequence[Any]], *, encoding: str = "utf-8", delimiter: str = ","
) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    path.write_bytes(cp1258_bytes(text) if encoding == "cp1258" else text.encode(encoding))
    return path


def write_xlsx(
    path: Path,
    rows: Iterable[Sequence[Any]],
    *,
    merges: Sequence[str] = (),
    sheet: str = "Sheet1",
    extra_sheets: dict[str, list[list[Any]]] | None = None,
) -> Path:
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    for cells in merges:
        ws.merge_cells(cells)
    for name, other in (extra_sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in other:
            extra.append(row)
    workbook.save(path)
    return path
