"""Export the reporting tables: one XLSX workbook per run and one CSV per table.

The workbook ``learning_city_report_<run_id>.xlsx`` has one sheet per reporting table with two header
rows (Vietnamese, then English), an ``Indicators`` sheet with the catalogue and a ``Notes`` sheet with
the run, the quality flags and the suppression rule. A stable copy ``learning_city_report_latest.xlsx``
is written next to it. The CSV files (``csv/<table>.csv``, UTF-8 with BOM so that Excel reads the
Vietnamese correctly) carry the canonical column names as their single header row.

Published exports suppress small counts: a count from 1 to 4 (``0 < n < SUPPRESSION_THRESHOLD``) is
left blank, and so is the rate of the same row (a rate and the other count would give it back); the
row's ``suppressed`` column says so. Zero is published: it identifies nobody. The count columns of
each table are listed in :data:`REPORTS`.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

SUPPRESSION_THRESHOLD = 5
SCHEMA = "reporting"


@dataclass(frozen=True)
class Report:
    """One reporting table as exported."""

    table: str
    sheet: str
    title_vi: str
    title_en: str
    order_by: str
    count_columns: tuple[str, ...] = ()
    #: columns derived from the counts (blanked with them)
    rate_columns: tuple[str, ...] = ()
    #: (column, value): the row's counts are counts of that kind only when column = value
    count_when: tuple[str, str] | None = None
    #: a column holding a count when the row's unit is 'count'
    value_count_column: str | None = None
    suppress: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


REPORTS: tuple[Report, ...] = (
    Report(
        "rpt_gnlc_city_profile",
        "GNLC city profile",
        "Hồ sơ thành phố (UNESCO GNLC)",
        "City profile (UNESCO GNLC)",
        "city, year, figure_order",
        suppress=False,
    ),
    Report(
        "rpt_kflc_statistics",
        "KFLC statistics",
        "Thống kê theo các đặc trưng chính của thành phố học tập (KFLC)",
        "Statistics by Key Features of Learning Cities",
        "city, kflc_focus_id, indicator_code, period, breakdown",
        count_columns=("numerator", "denominator"),
        rate_columns=("value",),
        value_count_column="value",
    ),
    Report(
        "rpt_sdg4_profile",
        "SDG 4 profile",
        "Hồ sơ SDG 4 của thành phố",
        "SDG 4 city profile",
        "city, indicator_code, period, breakdown",
        count_columns=("numerator", "denominator"),
        rate_columns=("value",),
        value_count_column="value",
    ),
    Report(
        "rpt_learning_society_progress",
        "Learning society",
        "Kết quả xây dựng xã hội học tập (mô hình học tập, công dân học tập)",
        "Learning society progress (learning models and learning citizens)",
        "indicator_code, period, admin_structure, admin_level, province_code, district_code, admin_unit_code",
        count_columns=("recognised_count", "total_count"),
        rate_columns=("rate", "meets_city_target", "meets_national_target"),
    ),
)
CATALOGUE = Report(
    "rpt_indicator_catalogue",
    "Indicators",
    "Danh mục chỉ số",
    "Indicator catalogue",
    "indicator_code",
    suppress=False,
)

#: Column labels: canonical name -> (Vietnamese, English).
LABELS: dict[str, tuple[str, str]] = {
    "city": ("Thành phố", "City"),
    "province_code": ("Mã tỉnh/thành phố", "Province code"),
    "district_code": ("Mã quận/huyện", "District code"),
    "admin_unit_code": ("Mã đơn vị hành chính", "Administrative unit code"),
    "admin_unit_name": ("Tên đơn vị hành chính", "Administrative unit"),
    "admin_level": ("Cấp hành chính", "Administrative level"),
    "admin_structure": ("Cấu trúc hành chính", "Administrative structure"),
    "year": ("Năm", "Year"),
    "period": ("Kỳ báo cáo", "Period"),
    "breakdown": ("Phân tổ", "Breakdown"),
    "figure_order": ("Thứ tự", "Order"),
    "figure_code": ("Mã số liệu", "Figure code"),
    "figure_name_vi": ("Tên số liệu", "Figure (Vietnamese)"),
    "figure_name_en": ("Tên số liệu (tiếng Anh)", "Figure"),
    "value": ("Giá trị", "Value"),
    "unit": ("Đơn vị tính", "Unit"),
    "source": ("Nguồn", "Source"),
    "verified": ("Đã kiểm chứng", "Verified"),
    "quality_flag": ("Chất lượng số liệu", "Quality flag"),
    "kflc_area_id": ("Mã lĩnh vực KFLC", "KFLC area"),
    "kflc_area_name_en": ("Lĩnh vực (tiếng Anh)", "Area"),
    "kflc_area_name_vi": ("Lĩnh vực", "Area (Vietnamese)"),
    "kflc_focus_id": ("Mã trọng tâm KFLC", "KFLC area of focus"),
    "kflc_focus_name_en": ("Trọng tâm (tiếng Anh)", "Area of focus"),
    "kflc_focus_name_vi": ("Trọng tâm", "Area of focus (Vietnamese)"),
    "mapping_relation": ("Quan hệ", "Relation"),
    "mapping_verified": ("Đối chiếu đã kiểm chứng", "Mapping verified"),
    "indicator_code": ("Mã chỉ số", "Indicator code"),
    "indicator_name_vi": ("Tên chỉ số", "Indicator (Vietnamese)"),
    "indicator_name_en": ("Tên chỉ số (tiếng Anh)", "Indicator"),
    "numerator": ("Tử số", "Numerator"),
    "denominator": ("Mẫu số", "Denominator"),
    "target_value": ("Chỉ tiêu", "Target"),
    "target_year": ("Năm chỉ tiêu", "Target year"),
    "meets_target": ("Đạt chỉ tiêu", "Meets target"),
    "sdg_indicator": ("Chỉ tiêu SDG 4", "SDG 4 indicator"),
    "recognised_count": ("Số đạt danh hiệu", "Recognised"),
    "total_count": ("Tổng số", "Total"),
    "rate": ("Tỷ lệ (%)", "Rate (%)"),
    "city_target_value": ("Chỉ tiêu của thành phố", "City target"),
    "city_target_year": ("Năm chỉ tiêu của thành phố", "City target year"),
    "meets_city_target": ("Đạt chỉ tiêu thành phố", "Meets city target"),
    "national_target_value": ("Chỉ tiêu quốc gia", "National target"),
    "national_target_year": ("Năm chỉ tiêu quốc gia", "National target year"),
    "meets_national_target": ("Đạt chỉ tiêu quốc gia", "Meets national target"),
    "wards_reported": ("Số xã/phường có báo cáo", "Wards reported"),
    "wards_expected": ("Số xã/phường", "Wards"),
    "name_vi": ("Tên chỉ số", "Name (Vietnamese)"),
    "name_en": ("Tên chỉ số (tiếng Anh)", "Name"),
    "area": ("Nhóm", "Area"),
    "numerator_definition": ("Định nghĩa tử số", "Numerator definition"),
    "denominator_definition": ("Định nghĩa mẫu số", "Denominator definition"),
    "formula": ("Công thức", "Formula"),
    "direction": ("Chiều tốt", "Better when"),
    "period_type": ("Loại kỳ", "Period type"),
    "levels": ("Các cấp tính", "Levels"),
    "sources": ("Nguồn dữ liệu", "Sources"),
    "sdg_ref": ("Tham chiếu SDG", "SDG reference"),
    "kflc_ref": ("Tham chiếu KFLC", "KFLC reference"),
    "national_targets": ("Chỉ tiêu quốc gia", "National targets"),
    "notes": ("Ghi chú", "Notes"),
    "suppressed": ("Số liệu bị ẩn (< 5)", "Suppressed (< 5)"),
}

QUALITY_FLAGS: tuple[tuple[str, str, str], ...] = (
    ("ok", "Đầy đủ", "Complete: every ward reported, no caveat."),
    ("no_denominator", "Không có mẫu số", "The denominator is 0 or missing: no value is computed."),
    (
        "failed_validation",
        "Lỗi kiểm tra dữ liệu",
        "A source file of the value failed a validation of severity error.",
    ),
    (
        "incomplete",
        "Chưa đủ xã/phường",
        "Not every ward of the unit reported: the value covers the reporting wards only.",
    ),
    (
        "population_fallback",
        "Dùng dân số năm trước",
        "A population denominator comes from an earlier survey.",
    ),
    (
        "apportioned",
        "Phân bổ theo tỷ lệ dân số",
        "A pre-reform value carried to post-reform units through a split ward, by population share.",
    ),
    (
        "not_provided",
        "Thành phố chưa cung cấp",
        "A manual input of the city profile has not been provided yet.",
    ),
)

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def label(column: str) -> tuple[str, str]:
    """Vietnamese and English label of a column (the column name when it has no label)."""
    return LABELS.get(column, (column, column.replace("_", " ").capitalize()))


def _read(conn: sa.Connection, report: Report) -> tuple[list[str], list[list[Any]]]:
    result = conn.execute(sa.text(f"select * from {SCHEMA}.{report.table} order by {report.order_by}"))
    return list(result.keys()), [list(row) for row in result]


def _is_small(value: Any) -> bool:
    return (
        isinstance(value, int | float | Decimal)
        and not isinstance(value, bool)
        and 0 < value < SUPPRESSION_THRESHOLD
    )


def suppress(
    report: Report, columns: Sequence[str], rows: list[list[Any]]
) -> tuple[list[str], list[list[Any]], int]:
    """Blank counts from 1 to 4 and the rates of their rows; add the ``suppressed`` column."""
    if not report.suppress:
        return list(columns), rows, 0
    index = {c: i for i, c in enumerate(columns)}
    count_idx = [index[c] for c in report.count_columns if c in index]
    rate_idx = [index[c] for c in report.rate_columns if c in index]
    value_idx = index.get(report.value_count_column) if report.value_count_column else None
    unit_idx = index.get("unit")
    out: list[list[Any]] = []
    blanked = 0
    for original in rows:
        row = list(original)
        small = {i for i in count_idx if _is_small(row[i])}
        if (
            value_idx is not None
            and unit_idx is not None
            and row[unit_idx] == "count"
            and _is_small(row[value_idx])
        ):
            small.add(value_idx)
        if small:
            for i in small | set(rate_idx):
                if row[i] is not None:
                    row[i] = None
                    blanked += 1
        row.append(bool(small))
        out.append(row)
    return [*columns, "suppressed"], out, blanked


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


def _write_sheet(wb: Workbook, report: Report, columns: Sequence[str], rows: list[list[Any]]) -> None:
    ws = wb.create_sheet(report.sheet[:31])
    ws.append([label(c)[0] for c in columns])
    ws.append([label(c)[1] for c in columns])
    for header_row in (1, 2):
        for cell in ws[header_row]:
            cell.font = Font(bold=header_row == 1, italic=header_row == 2)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        ws.append([_cell(v) for v in row])
    ws.freeze_panes = "A3"
    for i, column in enumerate(columns, start=1):
        width = max(len(label(column)[0]), len(label(column)[1]), 8)
        ws.column_dimensions[get_column_letter(i)].width = min(width + 2, 48)


def _write_csv(path: Path, columns: Sequence[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if v is None else _cell(v) for v in row])


def _write_notes(
    wb: Workbook, run_id: str, generated_at: dt.datetime, counts: dict[str, int], blanked: dict[str, int]
) -> None:
    ws = wb.create_sheet("Notes")
    ws.append(["Ghi chú", "Notes"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    ws.append(["Mã lượt chạy", f"Run id: {run_id}"])
    ws.append(["Thời điểm xuất", f"Generated at: {generated_at.isoformat(timespec='seconds')}"])
    ws.append(
        [
            f"Các số đếm từ 1 đến {SUPPRESSION_THRESHOLD - 1} được để trống (cột 'Số liệu bị ẩn'), cùng với tỷ lệ của dòng đó.",
            f"Counts from 1 to {SUPPRESSION_THRESHOLD - 1} are left blank (column 'Suppressed'), together with the rate of the row.",
        ]
    )
    ws.append(
        [
            "Tỷ lệ được tính gộp: tổng tử số / tổng mẫu số của các xã/phường.",
            "Rates are pooled: sum of numerators / sum of denominators over the wards.",
        ]
    )
    ws.append([])
    ws.append(["Chất lượng số liệu", "Quality flag"])
    for code, vi, en in QUALITY_FLAGS:
        ws.append([f"{code}: {vi}", f"{code}: {en}"])
    ws.append([])
    ws.append(["Bảng", "Table", "Số dòng / Rows", "Ô bị ẩn / Suppressed cells"])
    for table, n in counts.items():
        ws.append([table, table, n, blanked.get(table, 0)])
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 90


def export_reports(engine: sa.Engine, out_dir: Path, run_id: str) -> dict[str, Any]:
    """Write the workbook, its stable ``latest`` copy and the CSV files; return what was written.

    Returns ``{"workbook": Path, "latest": Path, "csv": {table: Path}, "rows": {table: int},
    "suppressed_cells": {table: int}}``.
    """
    out_dir = Path(out_dir)
    csv_dir = out_dir / "csv"
    csv_dir.mkdir(parents=True, exist_ok=True)
    generated_at = dt.datetime.now(dt.UTC)
    wb = Workbook()
    wb.remove(wb.active)
    csv_paths: dict[str, Path] = {}
    counts: dict[str, int] = {}
    blanked: dict[str, int] = {}
    with engine.connect() as conn:
        for report in (*REPORTS, CATALOGUE):
            columns, rows = _read(conn, report)
            columns, rows, n_blanked = suppress(report, columns, rows)
            _write_sheet(wb, report, columns, rows)
            path = csv_dir / f"{report.table}.csv"
            _write_csv(path, columns, rows)
            csv_paths[report.table] = path
            counts[report.table] = len(rows)
            blanked[report.table] = n_blanked
    _write_notes(wb, run_id, generated_at, counts, blanked)
    safe_run_id = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in run_id)
    workbook = out_dir / f"learning_city_report_{safe_run_id}.xlsx"
    wb.save(workbook)
    latest = out_dir / "learning_city_report_latest.xlsx"
    tmp = latest.with_suffix(".xlsx.tmp")
    shutil.copyfile(workbook, tmp)
    tmp.replace(latest)
    return {
        "workbook": workbook,
        "latest": latest,
        "csv": csv_paths,
        "rows": counts,
        "suppressed_cells": blanked,
    }
