"""The bad-input catalogue: every kind of broken or messy delivery, generated in code, checked through
the CLI (in-process for all cases, as a subprocess for a representative subset) and loaded into
PostgreSQL for a subset.

Each case states the expected status, the exact set of errors as (row, column, rule), warnings that
must be present, and — always — rows_read = rows_valid + rows_quarantined.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from ingestion import cli
from ingestion.config import REPO_ROOT
from ingestion.loader import load_file

from .builders import POST_ONLY_WARD, WARDS, ZERO_WARD, headers, records, table, write_csv, write_xlsx

Key = tuple[int | None, str | None, str]
EXIT = {"ok": 0, "warn": 0, "rejected": 1}
TOMORROW = date.today() + timedelta(days=3)


@dataclass(frozen=True)
class Case:
    id: str
    source: str
    build: Callable[[Path], Path]
    status: str
    errors: frozenset[Key] = frozenset()
    warnings: frozenset[Key] = frozenset()
    rows_read: int | None = None
    message: str | None = None
    cli: bool = False
    load: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def case(
    id: str,
    source: str,
    build: Callable[[Path], Path],
    status: str,
    errors: Sequence[Key] = (),
    warnings: Sequence[Key] = (),
    **kw: Any,
) -> Case:
    return Case(id, source, build, status, frozenset(errors), frozenset(warnings), **kw)


def rejected(id: str, source: str, build: Callable[[Path], Path], rule: str, **kw: Any) -> Case:
    return case(id, source, build, "rejected", [(None, None, rule)], **kw)


def csv_file(
    source: str,
    rows: Sequence[dict[str, Any]] | None = None,
    *,
    before: Sequence[Sequence[Any]] = (),
    after: Sequence[Sequence[Any]] = (),
    name: str = "f.csv",
    encoding: str = "utf-8",
    delimiter: str = ",",
    **table_kw: Any,
) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        body = table(source, rows if rows is not None else records(source), **table_kw)
        return write_csv(tmp / name, [*before, *body, *after], encoding=encoding, delimiter=delimiter)

    return build


def xlsx_file(
    source: str,
    rows: Sequence[dict[str, Any]] | None = None,
    *,
    before: Sequence[Sequence[Any]] = (),
    after: Sequence[Sequence[Any]] = (),
    merges: Sequence[str] = (),
    **table_kw: Any,
) -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        body = table(source, rows if rows is not None else records(source), **table_kw)
        return write_xlsx(tmp / "f.xlsx", [*before, *body, *after], merges=merges)

    return build


def raw_file(content: bytes, name: str = "f.csv") -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(content)
        return path

    return build


def with_row(source: str, n: int = 3, at: int = 1, **changes: Any) -> list[dict[str, Any]]:
    """Valid rows with ``changes`` applied to the ``at``-th (0-based) row."""
    rows = records(source, n)
    rows[at].update(changes)
    return rows


def corrupt_xlsx(tmp: Path) -> Path:
    path = tmp / "f.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 200)
    return path


def truncated_xlsx(tmp: Path) -> Path:
    good = write_xlsx(tmp / "good.xlsx", table("emis_schools", records("emis_schools")))
    data = good.read_bytes()
    path = tmp / "f.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def xlsx_without_sheet_xml(tmp: Path) -> Path:
    good = write_xlsx(tmp / "good.xlsx", table("emis_schools", records("emis_schools")))
    path = tmp / "f.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            if "worksheets/sheet1.xml" not in item.filename:
                dst.writestr(item, src.read(item.filename))
    return path


def nfd_headers(tmp: Path) -> Path:
    rows = table("emis_schools", records("emis_schools"))
    rows[0] = [unicodedata.normalize("NFD", h) for h in rows[0]]
    return write_csv(tmp / "f.csv", rows)


def line_break_headers(tmp: Path) -> Path:
    rows = table("emis_schools", records("emis_schools"))
    rows[0] = [h.replace(" ", "\n", 1) + "  " for h in rows[0]]
    return write_csv(tmp / "f.csv", rows)


def khuyenhoc_report(
    rows: list[dict[str, Any]] | None = None,
    *,
    year_column: bool = False,
    total: bool = True,
    notes: bool = True,
) -> Callable[[Path], Path]:
    """The association's workbook: title rows, a merged two-row header, STT, total and notes."""

    def build(tmp: Path) -> Path:
        data = rows if rows is not None else records("khuyenhoc_ward_report", 3)
        h = headers("khuyenhoc_ward_report")
        group = [
            "STT",
            h["ward_code"],
            h["ward_name"],
            "Gia đình học tập",
            None,
            "Dòng họ học tập",
            None,
            "Cộng đồng học tập",
            None,
            "Đơn vị học tập",
            None,
            "Công dân học tập",
            None,
            None,
            None,
            h["fund_vnd"],
            h["scholarships"],
        ]
        leaf = [
            None,
            None,
            None,
            h["households_total"],
            h["households_learning"],
            h["clans_total"],
            h["clans_learning"],
            h["communities_total"],
            h["communities_learning"],
            h["units_total"],
            h["units_learning"],
            h["workers_assessed"],
            h["workers_learning_citizen"],
            h["officials_total"],
            h["officials_learning_citizen"],
            None,
            None,
        ]
        names = [
            "ward_code",
            "ward_name",
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
        ]
        merges = ["A4:A5", "B4:B5", "C4:C5", "D4:E4", "F4:G4", "H4:I4", "J4:K4", "L4:O4", "P4:P5", "Q4:Q5"]
        if year_column:
            group.append("Năm")
            leaf.append(None)
            names.append("report_year")
            merges.append("R4:R5")
        body = [[k + 1, *[_typed(r[n]) for n in names]] for k, r in enumerate(data)]
        out: list[list[Any]] = [
            ["HỘI KHUYẾN HỌC QUẬN 1"],
            ["BÁO CÁO KẾT QUẢ XÂY DỰNG CÁC MÔ HÌNH HỌC TẬP NĂM 2024"],
            [],
            group,
            leaf,
            *body,
        ]
        if total:
            out.append(["Tổng cộng", None, None, 3600, 2700])
        if notes:
            out += [
                [],
                ["Ghi chú: số liệu tổng hợp đến ngày 30/11/2024."],
                ["Người lập biểu", None, None, "Chủ tịch"],
            ]
        return write_xlsx(tmp / "quan1_2024.xlsx", out, merges=merges, sheet="BaoCao")

    return build


def _typed(value: Any) -> Any:
    """Counts as numbers (as the association's workbooks hold them), codes as text."""
    if (
        isinstance(value, str)
        and value.replace(".", "").isdigit()
        and not value.startswith("0")
        and len(value) < 9
    ):
        return int(value.replace(".", ""))
    return value


def excel_dates(tmp: Path) -> Path:
    rows = records("clc_activities", 3)
    body = table("clc_activities", rows)
    body[1][2] = datetime(2024, 3, 1)  # a date cell
    body[1][3] = datetime(2024, 3, 15)
    body[2][2] = 45352  # a serial number (2024-03-01) in a numeric cell
    body[2][3] = 45366
    body[3][2] = "01/03/2024"  # text
    return write_xlsx(tmp / "f.xlsx", body)


def coded_schools(level: str = "02", ownership: str = "01") -> Callable[[Path], Path]:
    def build(tmp: Path) -> Path:
        rows = records("emis_schools", 2)
        rows[0].update(
            level=level,
            ownership=ownership,
            national_standard="03",
            has_internet="1",
            has_library="Có",
            school_year="2024",
        )
        rows[1].update(
            level="07",
            ownership="09",
            national_standard="",
            has_internet="0",
            has_library="Không",
            school_year="2024",
        )
        body = table("emis_schools", rows, kind="coded")
        body[0] = [
            h + " *" if h in ("MA_TRUONG_HOC", "TEN_TRUONG_HOC", "CAP_HOC", "NAM_HOC") else h for h in body[0]
        ]
        title = [["SỞ GIÁO DỤC VÀ ĐÀO TẠO TP. HỒ CHÍ MINH"], ["DANH SÁCH TRƯỜNG HỌC NĂM HỌC 2024-2025"], []]
        return write_xlsx(tmp / "f.xlsx", [*title, *body])

    return build


def numeric_ward_cells(tmp: Path) -> Path:
    body = table("clc_register", records("clc_register", 2))
    body[1][2] = int(ZERO_WARD)  # 00004 as a number: 4
    body[2][2] = int(WARDS[1][0])
    return write_xlsx(tmp / "f.xlsx", body)


def yes_no_variants(tmp: Path) -> Path:
    rows = records("emis_schools", 8)
    for row, (a, b) in zip(
        rows,
        [
            ("Có", "Không"),
            ("x", ""),
            ("1", "0"),
            ("Đạt", "Chưa đạt"),
            ("Yes", "No"),
            ("TRUE", "FALSE"),
            ("có", "KHÔNG"),
            ("X", ""),
        ],
        strict=True,
    ):
        row.update(has_internet=a, has_library=b)
    return write_csv(tmp / "f.csv", table("emis_schools", rows))


def huge_field(tmp: Path) -> Path:
    return csv_file("emis_schools", with_row("emis_schools", school_name="Trường " + "A" * 20_000))(tmp)


def shuffled(tmp: Path) -> Path:
    rows = records("emis_students")
    names = list(rows[0])[::-1]
    return write_csv(tmp / "f.csv", table("emis_students", rows, columns=names))


def mixed_header_kinds(tmp: Path) -> Path:
    rows = records("emis_students")
    body = table("emis_students", rows)
    body[0][0] = "student_id"
    body[0][2] = "NGAY_SINH *"
    body[0][6] = "MA_TRUONG"
    return write_csv(tmp / "f.csv", body)


def tsv_file(tmp: Path) -> Path:
    return write_csv(tmp / "f.tsv", table("library_visits", records("library_visits")), delimiter="\t")


def xls_binary(tmp: Path) -> Path:
    path = tmp / "f.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    return path


def two_data_sheets(tmp: Path) -> Path:
    first = table("emis_schools", records("emis_schools", 2))
    rows = records("emis_schools", 4)[2:]
    second = table("emis_schools", rows)
    notes = [["Hướng dẫn"], ["Điền mỗi trường một dòng."]]
    return write_xlsx(tmp / "f.xlsx", first, sheet="Quan1", extra_sheets={"Quan3": second, "HuongDan": notes})


W1, W1_NAME = WARDS[0]
SCHOOL_YEAR_ERR = "invalid_school_year"

CASES: list[Case] = [
    # -- file rules ------------------------------------------------------------------------------
    rejected("empty-file", "emis_schools", raw_file(b""), "file_empty", cli=True),
    rejected("only-blank-lines", "emis_schools", raw_file(b"\r\n,,,\r\n\r\n"), "file_empty"),
    rejected(
        "header-only",
        "emis_schools",
        csv_file("emis_schools", [], columns=list(headers("emis_schools"))),
        "header_only",
        cli=True,
        load=True,
    ),
    rejected(
        "header-and-total-only", "khuyenhoc_ward_report", khuyenhoc_report([], notes=False), "header_only"
    ),
    rejected("no-recognisable-header", "emis_schools", raw_file(b"a,b,c\r\n1,2,3\r\n"), "no_header"),
    rejected(
        "missing-required-column",
        "emis_schools",
        csv_file("emis_schools", columns=["school_code", "level", "ward_code", "school_year"]),
        "missing_columns",
        message="Tên trường (school_name)",
        cli=True,
        load=True,
    ),
    rejected(
        "missing-required-column-xlsx",
        "literacy_survey",
        xlsx_file("literacy_survey", columns=["ward_code", "population"]),
        "missing_columns",
        message="Năm điều tra (survey_year)",
    ),
    rejected("corrupt-xlsx", "emis_schools", corrupt_xlsx, "file_unreadable", cli=True, load=True),
    rejected("truncated-xlsx", "emis_schools", truncated_xlsx, "file_unreadable"),
    rejected("xlsx-without-worksheet", "emis_schools", xlsx_without_sheet_xml, "file_unreadable"),
    rejected(
        "xlsx-that-is-text", "emis_schools", raw_file(b"Ma truong,Ten\r\n", name="f.xlsx"), "file_unreadable"
    ),
    rejected("xls-97-2003", "emis_schools", xls_binary, "unsupported_format"),
    rejected("binary-csv", "emis_schools", raw_file(b"\x00\x01\x02\x89PNG" * 200), "file_unreadable"),
    # -- encodings and layouts --------------------------------------------------------------------
    case("utf-16-with-bom", "emis_schools", csv_file("emis_schools", encoding="utf-16"), "ok", rows_read=3),
    case(
        "utf-8-with-bom",
        "library_visits",
        csv_file("library_visits", encoding="utf-8-sig"),
        "ok",
        rows_read=3,
    ),
    case(
        "windows-1258",
        "library_register",
        csv_file("library_register", encoding="cp1258"),
        "ok",
        rows_read=3,
        cli=True,
        load=True,
    ),
    case("semicolon-delimiter", "clc_register", csv_file("clc_register", delimiter=";"), "ok", rows_read=3),
    case("tab-delimiter-tsv", "library_visits", tsv_file, "ok", rows_read=3),
    case(
        "header-on-row-7",
        "emis_schools",
        csv_file(
            "emis_schools", before=[["SỞ GIÁO DỤC VÀ ĐÀO TẠO"], ["DANH SÁCH TRƯỜNG HỌC"], [], [], [], []]
        ),
        "ok",
        rows_read=3,
        extra={"header_rows": [7]},
    ),
    case("shuffled-columns", "emis_students", shuffled, "ok", rows_read=3),
    case("nfd-headers", "emis_schools", nfd_headers, "ok", rows_read=3),
    case("line-breaks-in-headers", "emis_schools", line_break_headers, "ok", rows_read=3),
    case(
        "canonical-coded-and-vietnamese-headers-mixed", "emis_students", mixed_header_kinds, "ok", rows_read=3
    ),
    case(
        "extra-column",
        "emis_schools",
        csv_file(
            "emis_schools",
            [dict(r, note="ghi chú") for r in records("emis_schools")],
            rename={"note": "Ghi chú thêm"},
        ),
        "warn",
        warnings=[(None, None, "unknown_column")],
        rows_read=3,
        load=True,
    ),
    case(
        "duplicate-column",
        "emis_schools",
        csv_file(
            "emis_schools",
            [dict(r, code2=r["school_code"]) for r in records("emis_schools")],
            rename={"code2": "MA_TRUONG_HOC"},
        ),
        "warn",
        warnings=[(None, "school_code", "duplicate_column")],
    ),
    case("two-data-sheets-and-a-notes-sheet", "emis_schools", two_data_sheets, "ok", rows_read=4),
    case(
        "merged-two-row-header-total-and-notes",
        "khuyenhoc_ward_report",
        khuyenhoc_report(),
        "warn",
        warnings=[
            (9, None, "total_row"),
            (11, None, "note_row"),
            (12, None, "note_row"),
            (None, "report_year", "period_from_title"),
        ],
        rows_read=3,
        load=True,
        extra={"rows_excluded": 3},
    ),
    case(
        "year-column-instead-of-title",
        "khuyenhoc_ward_report",
        khuyenhoc_report(year_column=True, total=False, notes=False),
        "ok",
        rows_read=3,
    ),
    case(
        "total-row-inside-data",
        "emis_schools",
        csv_file(
            "emis_schools",
            records("emis_schools", 2),
            after=[
                ["", "Tổng cộng", "", "", "", "", "", "", ""],
                list(records("emis_schools", 3)[2].values()),
            ],
        ),
        "warn",
        warnings=[(4, None, "total_row")],
        rows_read=3,
    ),
    # -- values that must load ----------------------------------------------------------------------
    case("coded-emis-form-with-star", "emis_schools", coded_schools(), "ok", rows_read=2, cli=True),
    case(
        "numeric-ward-cells-leading-zero-lost",
        "clc_register",
        numeric_ward_cells,
        "warn",
        warnings=[(2, "ward_code", "ward_code_padded")],
        rows_read=2,
    ),
    case(
        "leading-zero-lost-ward-code-text",
        "literacy_survey",
        csv_file("literacy_survey", with_row("literacy_survey", ward_code="4")),
        "warn",
        warnings=[(3, "ward_code", "ward_code_padded")],
        load=True,
    ),
    case(
        "mixed-date-formats",
        "emis_students",
        csv_file(
            "emis_students",
            [
                dict(r, birth_date=d)
                for r, d in zip(
                    records("emis_students", 4),
                    ["15/05/2015", "5/5/2015", "2015-05-15", "15-05-2015"],
                    strict=True,
                )
            ],
        ),
        "ok",
        rows_read=4,
    ),
    case("excel-serial-and-date-cells", "clc_activities", excel_dates, "ok", rows_read=3),
    case("yes-no-variants", "emis_schools", yes_no_variants, "ok", rows_read=8),
    case(
        "grade-variants",
        "emis_students",
        csv_file(
            "emis_students",
            [
                dict(r, grade=g, birth_date="01/01/2013")
                for r, g in zip(records("emis_students", 4), ["Lớp 6", "Khối 6", "06", "6"], strict=True)
            ],
        ),
        "ok",
        rows_read=4,
    ),
    case(
        "vietnamese-and-english-thousands",
        "library_visits",
        csv_file(
            "library_visits",
            [
                dict(r, visitors=v)
                for r, v in zip(records("library_visits"), ["1.200", "1,200", "1 200"], strict=True)
            ],
        ),
        "ok",
        rows_read=3,
    ),
    case(
        "datetime-formats",
        "library_loans",
        csv_file(
            "library_loans",
            [
                dict(r, loan_ts=t)
                for r, t in zip(
                    records("library_loans"),
                    ["2024-03-01T09:00:00", "01/03/2024 09:00", "1/3/2024 9:00:30"],
                    strict=True,
                )
            ],
        ),
        "ok",
        rows_read=3,
    ),
    case(
        "calendar-2025-accepts-both-structures",
        "library_register",
        csv_file(
            "library_register",
            [dict(r, report_year="2025") for r in with_row("library_register", ward_code=POST_ONLY_WARD)],
        ),
        "ok",
    ),
    case(
        "formula-like-text",
        "emis_schools",
        csv_file("emis_schools", with_row("emis_schools", school_name="=cmd|' /C calc'!A0")),
        "warn",
        warnings=[(3, "school_name", "formula_like")],
        cli=True,
        load=True,
    ),
    case(
        "ward-name-mismatch",
        "khuyenhoc_ward_report",
        khuyenhoc_report(
            [
                dict(r, ward_name="Phường Không Có") if k == 0 else r
                for k, r in enumerate(records("khuyenhoc_ward_report"))
            ],
            total=False,
            notes=False,
        ),
        "warn",
        warnings=[(6, "ward_name", "ward_name_mismatch")],
    ),
    # -- row errors ------------------------------------------------------------------------------------
    case(
        "duplicate-keys",
        "emis_students",
        csv_file("emis_students", records("emis_students", 3) + records("emis_students", 1)),
        "warn",
        [(5, "student_id", "duplicate_key")],
        rows_read=4,
        cli=True,
    ),
    case(
        "impossible-date-31-02",
        "emis_students",
        csv_file("emis_students", with_row("emis_students", birth_date="31/02/2015")),
        "warn",
        [(3, "birth_date", "invalid_date")],
    ),
    case(
        "two-digit-year",
        "emis_teachers",
        csv_file("emis_teachers", with_row("emis_teachers", birth_date="1/1/85")),
        "warn",
        [(3, "birth_date", "invalid_date")],
    ),
    case(
        "future-birth-date",
        "emis_students",
        csv_file("emis_students", with_row("emis_students", birth_date=TOMORROW.strftime("%d/%m/%Y"))),
        "warn",
        [(3, "birth_date", "future_date")],
    ),
    case(
        "future-loan",
        "library_loans",
        csv_file(
            "library_loans",
            with_row("library_loans", loan_ts=f"{TOMORROW.isoformat()} 09:00:00", return_ts=""),
        ),
        "warn",
        [(3, "loan_ts", "future_date")],
    ),
    case(
        "negative-count",
        "library_visits",
        csv_file("library_visits", with_row("library_visits", online_sessions="-5")),
        "warn",
        [(3, "online_sessions", "min_value")],
        cli=True,
    ),
    case(
        "part-greater-than-total",
        "khuyenhoc_ward_report",
        khuyenhoc_report(
            with_row("khuyenhoc_ward_report", households_learning="1.300"), total=False, notes=False
        ),
        "warn",
        [(7, "households_learning", "le")],
        load=True,
    ),
    case(
        "part-greater-than-total-csv",
        "literacy_survey",
        csv_file("literacy_survey", with_row("literacy_survey", literate_15_35="3.500")),
        "warn",
        [(3, "literate_15_35", "le")],
    ),
    case(
        "percent-where-count-expected",
        "literacy_survey",
        csv_file("literacy_survey", with_row("literacy_survey", pop_age_5="89,4%")),
        "warn",
        [(3, "pop_age_5", "percent_not_count")],
    ),
    case(
        "decimal-where-count-expected",
        "clc_activities",
        csv_file("clc_activities", with_row("clc_activities", sessions="2,5")),
        "warn",
        [(3, "sessions", "not_integer")],
    ),
    case(
        "text-where-number-expected",
        "clc_register",
        csv_file("clc_register", with_row("clc_register", staff_count="ba")),
        "warn",
        [(3, "staff_count", "invalid_number")],
    ),
    case(
        "unknown-ward-code",
        "emis_schools",
        csv_file("emis_schools", with_row("emis_schools", ward_code="26999")),
        "warn",
        [(3, "ward_code", "unknown_ward_code")],
        message="not a ward of the pre-2025 structure (period 2024-2025)",
        cli=True,
        load=True,
    ),
    case(
        "post-reform-code-in-2024-2025",
        "emis_schools",
        csv_file("emis_schools", with_row("emis_schools", ward_code=POST_ONLY_WARD)),
        "warn",
        [(3, "ward_code", "unknown_ward_code")],
    ),
    case(
        "post-reform-code-in-2025-2026",
        "emis_schools",
        csv_file(
            "emis_schools",
            [dict(r, ward_code=POST_ONLY_WARD, school_year="2025-2026") for r in records("emis_schools")],
        ),
        "ok",
    ),
    case(
        "ward-code-not-a-code",
        "clc_register",
        csv_file("clc_register", with_row("clc_register", ward_code="P. Tân Định")),
        "warn",
        [(3, "ward_code", "invalid_ward_code")],
    ),
    case(
        "unknown-emis-code", "emis_schools", coded_schools(level="99"), "warn", [(5, "level", "unknown_code")]
    ),
    case(
        "emis-code-without-contract-value",
        "emis_students",
        csv_file("emis_students", with_row("emis_students", grade="17"), rename={"grade": "MA_KHOI"}),
        "warn",
        [(3, "grade", "unmapped_code")],
    ),
    case(
        "label-not-allowed",
        "library_loans",
        csv_file("library_loans", with_row("library_loans", channel="Qua bưu điện")),
        "warn",
        [(3, "channel", "not_allowed")],
    ),
    case(
        "grade-out-of-list",
        "emis_students",
        csv_file("emis_students", with_row("emis_students", grade="Lớp 13")),
        "warn",
        [(3, "grade", "unknown_code")],
    ),
    case(
        "invalid-yes-no",
        "clc_register",
        csv_file("clc_register", with_row("clc_register", has_ict_equipment="Có lẽ")),
        "warn",
        [(3, "has_ict_equipment", "invalid_boolean")],
    ),
    case(
        "return-before-loan",
        "library_loans",
        csv_file(
            "library_loans",
            with_row("library_loans", loan_ts="2024-03-10 09:00:00", return_ts="2024-03-09 09:00:00"),
        ),
        "warn",
        [(3, "return_ts", "not_before")],
        cli=True,
    ),
    case(
        "end-before-start",
        "clc_activities",
        csv_file("clc_activities", with_row("clc_activities", end_date="28/02/2024")),
        "warn",
        [(3, "end_date", "not_before")],
    ),
    case(
        "age-out-of-range",
        "emis_students",
        csv_file("emis_students", with_row("emis_students", birth_date="01/01/1980")),
        "warn",
        [(3, "birth_date", "age_between")],
    ),
    case(
        "teacher-too-old",
        "emis_teachers",
        csv_file("emis_teachers", with_row("emis_teachers", birth_date="01/01/1940")),
        "warn",
        [(3, "birth_date", "age_between")],
    ),
    case(
        "birth-year-out-of-range",
        "library_loans",
        csv_file(
            "library_loans",
            [
                dict(r, patron_birth_year=y)
                for r, y in zip(
                    records("library_loans"), ["1850", "1990", str(date.today().year + 1)], strict=True
                )
            ],
        ),
        "warn",
        [(2, "patron_birth_year", "min_value"), (4, "patron_birth_year", "max_value")],
    ),
    case(
        "required-value-missing",
        "emis_schools",
        csv_file("emis_schools", with_row("emis_schools", school_name="  ")),
        "warn",
        [(3, "school_name", "required")],
    ),
    case(
        "student-id-not-12-digits",
        "emis_students",
        csv_file("emis_students", with_row("emis_students", student_id="12345")),
        "warn",
        [(3, "student_id", "pattern")],
    ),
    case(
        "invalid-school-year",
        "emis_schools",
        csv_file("emis_schools", with_row("emis_schools", school_year="2024-2026")),
        "warn",
        [(3, "school_year", SCHOOL_YEAR_ERR)],
    ),
    case("huge-field", "emis_schools", huge_field, "warn", [(3, "school_name", "too_long")]),
    case(
        "nul-character",
        "emis_schools",
        csv_file("emis_schools", with_row("emis_schools", school_name="Trường\x00A")),
        "warn",
        [(3, "school_name", "invalid_character")],
    ),
    case(
        "several-errors-in-one-row",
        "clc_activities",
        csv_file(
            "clc_activities",
            with_row("clc_activities", participants_female="40", sessions="0", program="Nấu ăn"),
        ),
        "warn",
        [(3, "participants_female", "le"), (3, "sessions", "min_value"), (3, "program", "not_allowed")],
    ),
]


def _keys(issues: list[dict[str, Any]]) -> set[Key]:
    return {(i["row"], i["column"], i["rule"]) for i in issues}


def _check_report(c: Case, report: dict[str, Any]) -> None:
    assert report["status"] == c.status, report
    assert report["rows_read"] == report["rows_valid"] + report["rows_quarantined"]
    assert _keys(report["errors"]) == set(c.errors), report["errors"]
    assert set(c.warnings) <= _keys(report["warnings"]), report["warnings"]
    if c.rows_read is not None:
        assert report["rows_read"] == c.rows_read
    if c.status == "rejected":
        assert report["rows_valid"] == 0
    if c.message:
        texts = [report["error"] or ""] + [e["message"] for e in report["errors"]]
        assert any(c.message in t for t in texts), texts
    if "rows_excluded" in c.extra:
        assert report["rows_excluded"] == c.extra["rows_excluded"]
    if "header_rows" in c.extra:
        assert report["sheets"][0]["header_rows"] == c.extra["header_rows"]
    for issue in report["errors"] + report["warnings"]:
        assert set(issue) >= {"file", "sheet", "row", "column", "rule", "severity", "message", "value"}


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("c", CASES, ids=[c.id for c in CASES])
def test_check(c: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = c.build(tmp_path)
    code = cli.main(["check", "--source", c.source, str(path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == EXIT[c.status]
    _check_report(c, report)


@pytest.mark.parametrize("c", [c for c in CASES if c.cli], ids=[c.id for c in CASES if c.cli])
def test_check_cli_subprocess(c: Case, tmp_path: Path) -> None:
    path = c.build(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "ingestion", "check", "--source", c.source, str(path), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
    )
    assert proc.returncode == EXIT[c.status], proc.stderr
    assert "Traceback" not in proc.stderr
    _check_report(c, json.loads(proc.stdout))
    human = subprocess.run(
        [sys.executable, "-m", "ingestion", "check", "--source", c.source, str(path)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
    )
    assert human.returncode == EXIT[c.status]
    assert f"status: {c.status.upper()}" in human.stdout
    for row, column, rule in c.errors:
        assert f"{column} / {rule}" in human.stdout if row is not None else rule in human.stdout


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["check", "--source", "emis_schools", "/nonexistent/f.csv"], "file not found"),
        (["check", "--source", "no_such_source", "f.csv"], "invalid choice"),
        (["load", "--source", "emis_schools", "/nonexistent/f.csv"], "file not found"),
        (["check", "--source", "emis_schools", "."], "not a file"),
        (["check", "f.csv"], "required"),
        (["nonsense"], "invalid choice"),
    ],
)
def test_cli_usage_errors_exit_2(argv: list[str], message: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "ingestion", *argv],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        timeout=120,
    )
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("c", [c for c in CASES if c.load], ids=[c.id for c in CASES if c.load])
def test_load(c: Case, tmp_path: Path, engine: sa.Engine) -> None:
    path = c.build(tmp_path)
    manifest = load_file(c.source, path, run_id=f"test-{c.id}", engine=engine)
    with engine.connect() as conn:
        row = (
            conn.execute(
                sa.text("select * from audit.load_manifest where file_id = :f"), {"f": manifest["file_id"]}
            )
            .mappings()
            .one()
        )
        quarantined = conn.execute(
            sa.text(
                "select row_number, raw_record, errors from audit.quarantine where file_id = :f"
                " order by row_number"
            ),
            {"f": manifest["file_id"]},
        ).all()
        loaded = conn.execute(
            sa.text(f"select count(*) from raw.{c.source} where _file_id = :f"), {"f": manifest["file_id"]}
        ).scalar()
    assert row["run_id"] == f"test-{c.id}"
    if c.status == "rejected":
        assert row["status"] == "rejected"
        assert row["error"]
        if c.message:
            assert c.message in row["error"]
        assert loaded == 0 and not quarantined
        return
    assert row["status"] == "loaded"
    assert row["rows_in"] == row["rows_loaded"] + row["rows_quarantined"]
    assert loaded == row["rows_loaded"]
    assert len(quarantined) == row["rows_quarantined"]
    found = {
        (e["row"], e["column"], e["rule"]) for q in quarantined for e in q.errors if e["severity"] == "error"
    }
    assert found == set(c.errors)
    for q in quarantined:
        assert q.row_number in {r for r, _, _ in c.errors}
        assert all(isinstance(v, str) for v in q.raw_record.values())
        for e in q.errors:
            assert set(e) >= {"file", "sheet", "row", "column", "rule", "message", "value"}
    warnings = {(w["row"], w["column"], w["rule"]) for w in row["warnings"]}
    assert set(c.warnings) <= warnings
    if "rows_excluded" in c.extra:
        assert row["rows_excluded"] == c.extra["rows_excluded"]
