"""Community files of the sample landing folder: learning-centre register and activities (XLSX), the
Hội Khuyến học ward reports (one XLSX per district) and the literacy survey (CSV)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from ingestion.sample_emis import Students
from ingestion.sample_io import csv_text, save_workbook, vn_number, write_text
from ingestion.sample_world import (
    IMPOSSIBLE_DAY,
    RURAL_DISTRICTS,
    UNKNOWN_CENTRE,
    UNKNOWN_WARD,
    District,
    Row,
    World,
    bad_count,
    pick,
    replace_at,
    rng_for,
)

CLC_REGISTER_HEADER = (
    "Mã TTHTCĐ",
    "Tên TTHTCĐ",
    "Mã xã/phường",
    "Năm báo cáo",
    "Có thiết bị CNTT",
    "Số cán bộ",
    "Ứng dụng CNTT trong quản lý",
)
CLC_ACTIVITY_HEADER = (
    "Mã hoạt động",
    "Mã TTHTCĐ",
    "Ngày bắt đầu",
    "Ngày kết thúc",
    "Chương trình",
    "Hình thức",
    "Số buổi",
    "Số lượt người học",
    "Trong đó nữ",
    "Độ tuổi 15–60",
    "Trên 60 tuổi",
)
#: (programme, share of activities, relative participants per activity, is a course of weekly sessions)
PROGRAMMES: tuple[tuple[str, float, float, bool], ...] = (
    ("Xóa mù chữ", 0.02, 0.4, True),
    ("Sau xóa mù chữ", 0.02, 0.4, True),
    ("Kỹ năng số", 0.15, 0.8, True),
    ("Ngoại ngữ", 0.10, 0.7, True),
    ("Kỹ năng nghề", 0.15, 0.8, True),
    ("Pháp luật", 0.15, 1.6, False),
    ("Sức khỏe", 0.15, 1.4, False),
    ("Văn hóa – xã hội", 0.20, 1.5, False),
    ("Khác", 0.06, 1.0, False),
)
MODES = ("Trực tiếp", "Trực tuyến", "Kết hợp")


def write_clc_register(world: World, out: Path, year: int) -> Path:
    rng = rng_for(world.seed, "clc_register:rows")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TTHTCD"
    ws.append(list(CLC_REGISTER_HEADER))
    rows: list[list[object]] = []
    for centre in world.centres:
        ward: object = int(centre.ward_code) if rng.random() < 0.1 else centre.ward_code
        rows.append(
            [
                centre.code,
                centre.name,
                ward,
                year,
                "Có" if centre.ict_equipment else "Không",
                centre.staff,
                "x" if centre.ict_management else None,
            ]
        )
    bad = [
        f"HTCD{UNKNOWN_WARD}",
        "Trung tâm học tập cộng đồng Khu phố 7",
        UNKNOWN_WARD,
        year,
        "Không",
        2,
        None,
    ]
    rows.insert(int(rng.integers(0, len(rows) + 1)), bad)
    for row in rows:
        ws.append(row)
    return save_workbook(wb, out / "clc_register" / f"tthtcd_{year}.xlsx")


@dataclass(frozen=True)
class Activities:
    centre: np.ndarray
    programme: np.ndarray
    mode: np.ndarray
    start: np.ndarray
    end: np.ndarray
    sessions: np.ndarray
    participants: np.ndarray
    female: np.ndarray
    age_15_60: np.ndarray
    over_60: np.ndarray


def draw_activities(world: World, year: int) -> Activities:
    rng = rng_for(world.seed, f"clc_activities:{year}")
    active = np.array([i for i, c in enumerate(world.centres) if c.active], dtype=np.int64)
    n = max(world.sizes.clc_activities, len(active))
    weights = rng.lognormal(0.0, 0.5, len(active))
    centre = np.concatenate([active, active[pick(rng, weights, n - len(active))]])
    programme = pick(rng, np.array([p[1] for p in PROGRAMMES]), n)
    course = np.array([p[3] for p in PROGRAMMES])[programme]
    digital = programme == 2
    mode = np.where(
        digital, pick(rng, np.array([0.5, 0.2, 0.3]), n), pick(rng, np.array([0.8, 0.07, 0.13]), n)
    )
    year_days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    sessions = np.where(course, rng.integers(4, 25, n), rng.integers(1, 4, n))
    length = np.where(course, (sessions - 1) * 7, sessions - 1)
    start = (rng.random(n) * (year_days - length)).astype(np.int64)
    end = start + length
    size = np.array([p[2] for p in PROGRAMMES])[programme] * rng.lognormal(0.0, 0.4, n)
    participants = rng.multinomial(world.sizes.clc_participations, size / size.sum())
    over_60 = rng.binomial(participants, 0.17)
    order = np.lexsort((centre, start))
    return Activities(
        centre=centre[order],
        programme=programme[order],
        mode=mode[order],
        start=start[order],
        end=end[order],
        sessions=sessions[order],
        participants=participants[order],
        female=rng.binomial(participants, 0.62)[order],
        age_15_60=rng.binomial(participants - over_60, 0.88)[order],
        over_60=over_60[order],
    )


def write_clc_activities(world: World, out: Path, year: int) -> Path:
    acts = draw_activities(world, year)
    rng = rng_for(world.seed, f"clc_activities:{year}:cells")
    first = date(year, 1, 1)
    rows: list[list[object]] = []
    for i in range(len(acts.centre)):
        as_text = rng.random() < 0.3
        start = first + timedelta(days=int(acts.start[i]))
        end = first + timedelta(days=int(acts.end[i]))
        rows.append(
            [
                f"HD{year}-{i + 1:05d}",
                world.centres[int(acts.centre[i])].code,
                start.strftime("%d/%m/%Y") if as_text else datetime(start.year, start.month, start.day),
                end.strftime("%d/%m/%Y") if as_text else datetime(end.year, end.month, end.day),
                PROGRAMMES[int(acts.programme[i])][0],
                MODES[int(acts.mode[i])],
                int(acts.sessions[i]),
                int(acts.participants[i]),
                int(acts.female[i]),
                int(acts.age_15_60[i]),
                int(acts.over_60[i]),
            ]
        )
    rows = _with_bad_activities(rows, acts, year, rng)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "HoatDong"
    ws.append(list(CLC_ACTIVITY_HEADER))
    for row in rows:
        ws.append(row)
    for column in ("C", "D"):
        for cell in ws[column][1:]:
            if isinstance(cell.value, datetime):
                cell.number_format = "DD/MM/YYYY"
    return save_workbook(wb, out / "clc_activities" / f"hoatdong_{year}.xlsx")


def _with_bad_activities(
    rows: list[list[object]], acts: Activities, year: int, rng: np.random.Generator
) -> list[list[object]]:
    """Copies of random activities made bad (with new ids), scattered among the good rows."""
    n = len(rows)
    k = bad_count(n)
    extra: list[list[object]] = []
    for i in rng.integers(0, n, k):
        row = list(rows[int(i)])
        row[8] = int(acts.participants[int(i)]) + 5
        extra.append(row)
    for i in rng.integers(0, n, k):
        row = list(rows[int(i)])
        start = row[2] if isinstance(row[2], datetime) else datetime.strptime(str(row[2]), "%d/%m/%Y")
        row[3] = (start - timedelta(days=3)).strftime("%d/%m/%Y")
        extra.append(row)
    for i in rng.integers(0, n, k):
        row = list(rows[int(i)])
        row[2] = f"{IMPOSSIBLE_DAY}{year}"
        extra.append(row)
    for i in rng.integers(0, n, k):
        row = list(rows[int(i)])
        row[1] = UNKNOWN_CENTRE
        extra.append(row)
    result = list(rows)
    for offset, row in enumerate(extra):
        row[0] = f"HD{year}-{n + offset + 1:05d}"
        result.insert(int(rng.integers(0, len(result) + 1)), row)
    return result


# --------------------------------------------------------------------------------------------------
# Hội Khuyến học (one workbook per district) and the literacy survey
# --------------------------------------------------------------------------------------------------


#: (group header, [(column header, canonical column)]) of the two-row header, after STT/code/name.
KH_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Gia đình học tập",
        (
            ("Tổng số hộ gia đình", "households_total"),
            ('Số hộ đạt "Gia đình học tập"', "households_learning"),
        ),
    ),
    (
        "Dòng họ học tập",
        (("Tổng số dòng họ", "clans_total"), ('Số dòng họ đạt "Dòng họ học tập"', "clans_learning")),
    ),
    (
        "Cộng đồng học tập",
        (
            ("Tổng số cộng đồng (khu phố, tổ dân phố, ấp)", "communities_total"),
            ('Số đạt "Cộng đồng học tập"', "communities_learning"),
        ),
    ),
    (
        "Đơn vị học tập",
        (
            ("Tổng số đơn vị (cơ quan, trường học, doanh nghiệp)", "units_total"),
            ('Số đạt "Đơn vị học tập"', "units_learning"),
        ),
    ),
    (
        "Công dân học tập",
        (
            ("Số người lao động được đánh giá", "workers_assessed"),
            ('Số người lao động đạt "Công dân học tập"', "workers_learning_citizen"),
            ("Số CB, CC, VC", "officials_total"),
            ('Số CB, CC, VC đạt "Công dân học tập"', "officials_learning_citizen"),
        ),
    ),
)
KH_SINGLE = (("Quỹ khuyến học (đồng)", "fund_vnd"), ("Số suất học bổng", "scholarships"))
KH_MEASURES = tuple(col for _, cols in KH_GROUPS for _, col in cols) + tuple(col for _, col in KH_SINGLE)


def khuyenhoc_values(world: World, year: int) -> list[dict[str, int]]:
    """The measures of every ward (in ward order)."""
    rng = rng_for(world.seed, f"khuyenhoc:{year}")
    values = []
    for ward in world.wards:
        pop = max(ward.population, 1)
        rural = ward.district in RURAL_DISTRICTS
        households = max(1, round(pop / 3.4))
        clans = int(rng.integers(5, 40)) if rural else int(rng.integers(0, 9))
        communities = int(rng.integers(8, 30)) if rural else int(rng.integers(4, 16))
        units = int(rng.integers(15, 80))
        workers = max(1, round(pop * 0.35 * rng.uniform(0.3, 0.6)))
        officials = max(1, round(pop * 0.008))
        values.append(
            {
                "households_total": households,
                "households_learning": int(rng.binomial(households, rng.uniform(0.62, 0.95))),
                "clans_total": clans,
                "clans_learning": int(rng.binomial(clans, rng.uniform(0.5, 0.9))),
                "communities_total": communities,
                "communities_learning": int(rng.binomial(communities, rng.uniform(0.6, 0.95))),
                "units_total": units,
                "units_learning": int(rng.binomial(units, rng.uniform(0.75, 0.98))),
                "workers_assessed": workers,
                "workers_learning_citizen": int(rng.binomial(workers, rng.uniform(0.4, 0.8))),
                "officials_total": officials,
                "officials_learning_citizen": int(rng.binomial(officials, rng.uniform(0.6, 0.95))),
                "fund_vnd": int(round(pop * rng.uniform(3000, 15000), -3)),
                "scholarships": int(round(pop * rng.uniform(0.002, 0.008))),
            }
        )
    return values


def _kh_header(ws: Worksheet, top: int) -> None:
    """Write the two-row merged header at row ``top``."""
    bold = Font(bold=True)
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for column, title in enumerate(("STT", "Mã phường/xã", "Phường/Xã"), start=1):
        ws.cell(top, column, title)
        ws.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
    column = 4
    for group, members in KH_GROUPS:
        ws.cell(top, column, group)
        ws.merge_cells(start_row=top, start_column=column, end_row=top, end_column=column + len(members) - 1)
        for offset, (title, _) in enumerate(members):
            ws.cell(top + 1, column + offset, title)
        column += len(members)
    for title, _ in KH_SINGLE:
        ws.cell(top, column, title)
        ws.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
        column += 1
    for row in ws.iter_rows(min_row=top, max_row=top + 1, max_col=column - 1):
        for cell in row:
            cell.font, cell.alignment = bold, centred


def write_khuyenhoc(world: World, out: Path, year: int) -> list[Path]:
    values = khuyenhoc_values(world, year)
    paths = []
    for index, district in enumerate(world.districts):
        members = list(range(district.first_ward, district.first_ward + district.ward_count))
        rows = [(world.wards[w].code, world.wards[w].name, dict(values[w])) for w in members]
        if index == 0:
            first = rows[0][2]
            first["households_learning"] = first["households_total"] + 57
        if index == 1:
            rows.append((UNKNOWN_WARD, "Phường Mới", dict(values[members[0]])))
        paths.append(
            _khuyenhoc_workbook(
                out, year, district, rows, as_text=index % 2 == 1, numeric_codes=index % 3 == 0
            )
        )
    return paths


def _khuyenhoc_workbook(
    out: Path,
    year: int,
    district: District,
    rows: list[tuple[str, str, dict[str, int]]],
    as_text: bool,
    numeric_codes: bool,
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "BaoCao"
    ws.append([f"HỘI KHUYẾN HỌC {district.name.upper()}"])
    ws.append([f"BÁO CÁO KẾT QUẢ XÂY DỰNG CÁC MÔ HÌNH HỌC TẬP NĂM {year}"])
    ws.append([])
    _kh_header(ws, 4)
    fund_column = 3 + KH_MEASURES.index("fund_vnd") + 1
    for number, (code, name, measures) in enumerate(rows, start=1):
        cells: list[object] = [number, int(code) if numeric_codes else code, name]
        cells += [vn_number(measures[m]) if as_text and m == "fund_vnd" else measures[m] for m in KH_MEASURES]
        ws.append(cells)
    totals = [sum(m[col] for _, _, m in rows) for col in KH_MEASURES]
    total_row = ws.max_row + 1
    ws.cell(total_row, 1, "Tổng cộng").font = Font(bold=True)
    ws.merge_cells(start_row=total_row, start_column=1, end_row=total_row, end_column=3)
    for offset, total in enumerate(totals):
        column = 4 + offset
        ws.cell(total_row, column, vn_number(total) if as_text and column == fund_column else total)
    ws.cell(
        total_row + 2, 1, f"Ghi chú: số liệu tổng hợp từ báo cáo của các phường, xã đến ngày 30/11/{year}."
    )
    ws.cell(total_row + 3, 1, "Người lập biểu")
    ws.column_dimensions["C"].width = 28
    return save_workbook(wb, out / "khuyenhoc_ward_report" / f"{district.slug}_{year}.xlsx")


LITERACY_HEADER = (
    "Mã phường/xã",
    "Năm điều tra",
    "Tổng dân số",
    "Số trẻ 5 tuổi",
    "Số trẻ 6 tuổi",
    "Dân số từ 15 tuổi trở lên",
    "Dân số 15–35 tuổi",
    "Trong đó biết chữ",
    "Dân số 15–60 tuổi",
    "Trong đó biết chữ mức độ 2",
    "Số người mới biết chữ",
    "Trong đó không tái mù chữ",
    "Số người được đánh giá kỹ năng số",
    "Trong đó đạt cơ bản",
)


def literacy_rows(world: World, students: Students, year: int) -> list[Row]:
    """One row per ward; child counts derived from the pupils so that participation stays about 95–99.5 %."""
    rng = rng_for(world.seed, f"literacy:{year}")
    age = year - students.birth.astype("datetime64[Y]").astype(int) - 1970
    age5 = (age == 5) & (students.grade <= 8)
    age6 = (age == 6) & (students.grade == 4)
    n_wards = len(world.wards)
    pupils5 = np.bincount(students.residence[age5], minlength=n_wards)
    pupils6 = np.bincount(students.residence[age6], minlength=n_wards)
    rows: list[Row] = []
    for index, ward in enumerate(world.wards):
        pop = ward.population
        # children not enrolled: 0.5–4.5 % of the age group (5-year-olds), 1–5 % (6-year-olds in grade 1)
        pop5 = int(pupils5[index] + rng.binomial(pupils5[index], rng.uniform(0.005, 0.045)))
        pop6 = int(pupils6[index] + rng.binomial(pupils6[index], rng.uniform(0.01, 0.05)))
        pop15 = min(pop, round(pop * rng.uniform(0.76, 0.82)))
        pop1535 = round(pop * rng.uniform(0.30, 0.36))
        pop1560 = round(pop * rng.uniform(0.62, 0.68))
        newly = int(rng.binomial(pop1560, 0.0004))
        assessed = int(rng.binomial(pop15, rng.uniform(0.03, 0.08)))
        rows.append(
            (
                ward.code,
                year,
                vn_number(max(pop, pop5 + pop6 + pop15)),
                vn_number(pop5),
                vn_number(pop6),
                vn_number(pop15),
                vn_number(pop1535),
                vn_number(pop1535 - int(rng.binomial(pop1535, rng.uniform(0.001, 0.004)))),
                vn_number(pop1560),
                vn_number(pop1560 - int(rng.binomial(pop1560, rng.uniform(0.005, 0.02)))),
                newly,
                int(rng.binomial(newly, 0.93)),
                vn_number(assessed),
                vn_number(int(rng.binomial(assessed, rng.uniform(0.4, 0.7)))),
            )
        )
    extra = replace_at(rows[0], 0, UNKNOWN_WARD)
    rows.insert(int(rng.integers(0, len(rows) + 1)), extra)
    return rows


def write_literacy(world: World, students: Students, out: Path, year: int) -> Path:
    text = csv_text(LITERACY_HEADER, literacy_rows(world, students, year), lineterminator="\n")
    return write_text(out / "literacy_survey" / f"pcgd_xmc_{year}.csv", text, "utf-8")
