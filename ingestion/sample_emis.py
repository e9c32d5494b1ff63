"""EMIS files of the sample landing folder: schools (coded XLSX), students (human CSV), teachers
(coded CSV with a BOM)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
from openpyxl.styles import Font

from ingestion import sample_names as names
from ingestion.sample_io import save_workbook
from ingestion.sample_world import (
    IMPOSSIBLE_DAY,
    KIND_NHOM,
    UNKNOWN_CODE,
    UNKNOWN_SCHOOL,
    UNKNOWN_WARD,
    Row,
    World,
    allocate,
    bad_count,
    bad_positions,
    day_strings,
    fresh_ids,
    pick,
    replace_at,
    rng_for,
    write_csv_stream,
)

SCHOOL_HEADER = (
    "MA_TRUONG_HOC *",
    "TEN_TRUONG_HOC *",
    "NAM_HOC *",
    "CAP_HOC *",
    "LOAI_HINH_DAO_TAO *",
    "CHUAN_QUOC_GIA",
    "MA_XA",
    "KHAI_THAC_INTERNET_DAY_HOC",
    "Có thư viện",
)
STUDENT_HEADER = (
    "Mã định danh",
    "Họ và tên ",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Khuyết tật",
    "Mã trường",
    "Khối",
    "Trạng thái",
    "Mã xã/phường\nthường trú",
    "Năm học",
)
TEACHER_HEADER = (
    "MA_TRUONG_HOC *",
    "NAM_HOC *",
    "MA_GIAO_VIEN *",
    "TEN_CAN_BO *",
    "NGAY_SINH *",
    "GIOI_TINH *",
    "TRINH_DO_DAO_TAO",
    "TRINH_DO_GVIEN",
    "TRINH_DO_TIN_HOC",
)


def school_year(year: int) -> str:
    return f"{year}-{year + 1}"


def write_schools(world: World, out: Path, year: int) -> Path:
    rng = rng_for(world.seed, "emis_schools:rows")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TruongHoc"
    ws.append(["SỞ GIÁO DỤC VÀ ĐÀO TẠO TP. HỒ CHÍ MINH"])
    ws.append([f"DANH SÁCH TRƯỜNG HỌC NĂM HỌC {school_year(year)}"])
    ws.append([])
    ws.append(list(SCHOOL_HEADER))
    for cell in ws[4]:
        cell.font = Font(bold=True)
    rows: list[list[object]] = []
    for school in world.schools:
        ward_code: object = world.wards[school.ward].code
        if rng.random() < 0.08:
            ward_code = int(ward_code)
        rows.append(
            [
                school.code,
                school.name,
                year,
                KIND_NHOM[school.kind],
                school.ownership,
                school.standard or None,
                ward_code,
                1 if school.has_internet else 0,
                "Có" if school.has_library else "Không",
            ]
        )
    extra = [
        [
            "79999901",
            "Trường Mầm non Tuổi Hồng",
            year,
            UNKNOWN_CODE,
            "09",
            None,
            world.wards[0].code,
            1,
            "Không",
        ],
        ["79999902", "Trường Tiểu học Bình Minh", year, "06", "01", None, UNKNOWN_WARD, 1, "Có"],
    ]
    for row in extra:
        rows.insert(int(rng.integers(0, len(rows) + 1)), row)
    for row in rows:
        ws.append(row)
    return save_workbook(wb, out / "emis_schools" / f"hcm_{school_year(year)}_truonghoc.xlsx")


# Grades: 0 Nhà trẻ, 1–3 Mẫu giáo 3/4/5 tuổi, 4–15 grades 1–12.
GRADE_LABELS = ("Nhà trẻ", "Mẫu giáo 3 tuổi", "Mẫu giáo 4 tuổi", "Mẫu giáo 5 tuổi") + tuple(
    str(g) for g in range(1, 13)
)
GRADE_SHARES = np.array([0.030, 0.050, 0.055, 0.060] + [0.074] * 5 + [0.066] * 4 + [0.057] * 3)
NOMINAL_AGE = np.array([2, 3, 4, 5] + list(range(6, 18)))
#: School level of each grade: 0 Mầm non, 1 Tiểu học, 2 THCS, 3 THPT.
GRADE_LEVEL = np.array([0] * 4 + [1] * 5 + [2] * 4 + [3] * 3)
LEVEL_KINDS = (("MN",), ("TH", "LC"), ("THCS", "LC"), ("THPT", "LC", "GDTX"))
#: Pupils per teacher by school kind (HCMC orders of magnitude).
KIND_PTR = {"MN": 13.5, "TH": 26.0, "THCS": 23.0, "THPT": 21.0, "GDTX": 28.0, "LC": 18.0}
KIND_FEMALE = {"MN": 0.99, "TH": 0.80, "THCS": 0.72, "THPT": 0.65, "GDTX": 0.55, "LC": 0.70}
STATUSES = ("Đang học", "Bỏ học", "Chuyển đi", "Lưu ban", "Hoàn thành chương trình")
#: Status shares by school level (Đang học, Bỏ học, Chuyển đi, Lưu ban, Hoàn thành chương trình).
LEVEL_STATUS = np.array(
    [
        [0.990, 0.002, 0.008, 0.0, 0.0],
        [0.9870, 0.0005, 0.0100, 0.0025, 0.0],
        [0.974, 0.010, 0.010, 0.006, 0.0],
        [0.963, 0.015, 0.009, 0.003, 0.010],
    ]
)


@dataclass(frozen=True)
class Students:
    """One row per pupil, as compact arrays (sorted by school, then grade)."""

    grade: np.ndarray
    school: np.ndarray
    male: np.ndarray
    birth: np.ndarray
    status: np.ndarray
    ethnicity: np.ndarray
    disabled: np.ndarray
    residence: np.ndarray
    ident: np.ndarray
    surname: np.ndarray
    middle: np.ndarray
    given: np.ndarray
    grade_style: np.ndarray

    def __len__(self) -> int:
        return len(self.grade)


def _school_choice(rng: np.random.Generator, world: World, level: int, residence: np.ndarray) -> np.ndarray:
    """A school of the right level for each pupil, preferring the pupil's ward, then district."""
    schools = world.schools
    kinds = LEVEL_KINDS[level]
    eligible = np.array([i for i, s in enumerate(schools) if s.kind in kinds], dtype=np.int64)
    if eligible.size == 0:
        eligible = np.arange(len(schools))
    base = np.array([schools[i].weight * (0.4 if schools[i].kind == "GDTX" else 1.0) for i in eligible])
    school_ward = np.array([schools[i].ward for i in eligible])
    school_district = np.array([world.wards[w].district for w in school_ward], dtype=object)
    chosen = np.empty(len(residence), dtype=np.int64)
    for ward in np.unique(residence):
        mask = residence == ward
        near = np.where(
            school_ward == ward, 30.0, np.where(school_district == world.wards[ward].district, 6.0, 1.0)
        )
        chosen[mask] = eligible[pick(rng, base * near, int(mask.sum()))]
    return chosen


def _birth_dates(rng: np.random.Generator, birth_year: np.ndarray) -> np.ndarray:
    leap = ((birth_year % 4 == 0) & (birth_year % 100 != 0)) | (birth_year % 400 == 0)
    start = (birth_year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    return start + (rng.random(len(birth_year)) * np.where(leap, 366, 365)).astype(np.int64)


def _personal_ids(rng: np.random.Generator, male: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    """12-digit CCCD-like numbers: 079, century/sex digit, 2-digit birth year, 6 random digits; unique."""
    century = (birth_year >= 2000).astype(np.int64) * 2 + (~male).astype(np.int64)
    key = century * 100 + birth_year % 100
    ident = np.empty(len(key), dtype=np.int64)
    order = np.argsort(key, kind="stable")
    groups, starts = np.unique(key[order], return_index=True)
    bounds = list(starts[1:]) + [len(key)]
    for group, start, stop in zip(groups, starts, bounds, strict=True):
        serial = rng.choice(1_000_000, size=stop - start, replace=False)
        ident[order[start:stop]] = (79 * 1000 + int(group)) * 1_000_000 + serial
    return ident


_SURNAMES = np.array([s for s, _ in names.SURNAMES], dtype=object)
_MIDDLE = (np.array(names.MIDDLE_FEMALE, dtype=object), np.array(names.MIDDLE_MALE, dtype=object))
_GIVEN = (np.array(names.GIVEN_FEMALE, dtype=object), np.array(names.GIVEN_MALE, dtype=object))


def _name_indexes(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Indexes of surname, middle and given name (the last two taken modulo the list for the sex)."""
    surname = pick(rng, np.array([w for _, w in names.SURNAMES]), n).astype(np.int16)
    return surname, rng.integers(0, 840, n).astype(np.int16), rng.integers(0, 840, n).astype(np.int16)


def full_names(surname: np.ndarray, middle: np.ndarray, given: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Vietnamese full names (surname, middle, given) as an object array."""
    mid = np.where(male, _MIDDLE[1][middle % len(_MIDDLE[1])], _MIDDLE[0][middle % len(_MIDDLE[0])])
    giv = np.where(male, _GIVEN[1][given % len(_GIVEN[1])], _GIVEN[0][given % len(_GIVEN[0])])
    return _SURNAMES[surname] + " " + mid + " " + giv


def make_students(world: World, year: int) -> Students:
    rng = rng_for(world.seed, "students")
    n = world.sizes.students
    grade = pick(rng, GRADE_SHARES, n).astype(np.int8)
    level = GRADE_LEVEL[grade]
    residence = pick(rng, np.array([w.population for w in world.wards], dtype=float) + 1.0, n).astype(
        np.int16
    )
    school = np.empty(n, dtype=np.int32)
    for lvl in range(4):
        mask = level == lvl
        school[mask] = _school_choice(rng, world, lvl, residence[mask])
    male = rng.random(n) < 0.515
    delay = (grade >= 4) * ((rng.random(n) < 0.04).astype(int) + (rng.random(n) < 0.005).astype(int))
    birth_year = year - NOMINAL_AGE[grade] - delay
    status = np.empty(n, dtype=np.int8)
    for lvl in range(4):
        mask = level == lvl
        status[mask] = pick(rng, LEVEL_STATUS[lvl], int(mask.sum()))
    status[(status == 4) & (grade != 15)] = 0
    surname, middle, given = _name_indexes(rng, n)
    students = Students(
        grade=grade,
        school=school,
        male=male,
        birth=_birth_dates(rng, birth_year),
        status=status,
        ethnicity=pick(rng, np.array([w for _, w in names.ETHNICITIES]), n).astype(np.int8),
        disabled=rng.random(n) < 0.008,
        residence=residence,
        ident=_personal_ids(rng, male, birth_year),
        surname=surname,
        middle=middle,
        given=given,
        grade_style=rng.choice(3, size=n, p=(0.6, 0.25, 0.15)).astype(np.int8),
    )
    order = np.lexsort((students.grade, students.school))
    return Students(**{k: getattr(students, k)[order] for k in Students.__dataclass_fields__})


class _StudentFormatter:
    """Formats chunks of pupils as rows of the human-form CSV."""

    def __init__(self, world: World, students: Students, year: int) -> None:
        self.s = students
        self.year = school_year(year)
        first = students.birth.min()
        self.first_day = first
        days = int((students.birth.max() - first).astype(int)) + 1
        self.dmy, _ = day_strings(first.astype(date), days)
        self.schools = np.array([s.code for s in world.schools], dtype=object)
        self.wards = np.array([w.code for w in world.wards], dtype=object)
        self.ethnicities = np.array([e for e, _ in names.ETHNICITIES], dtype=object)
        # grade spellings: "6", "Lớp 6", "Khối 6" (kindergarten grades are always spelt out)
        styles = [
            GRADE_LABELS[:4] + tuple(f"{prefix}{g}" for g in range(1, 13)) for prefix in ("", "Lớp ", "Khối ")
        ]
        self.grades = np.array(styles, dtype=object)
        self.statuses = np.array(STATUSES, dtype=object)

    def rows(self, start: int, stop: int) -> list[Row]:
        s = self.s
        part = slice(start, stop)
        male = s.male[part]
        full = full_names(s.surname[part], s.middle[part], s.given[part], male)
        birth = self.dmy[(s.birth[part] - self.first_day).astype(np.int64)]
        columns = (
            [f"{x:012d}" for x in s.ident[part].tolist()],
            full.tolist(),
            birth.tolist(),
            np.where(male, "Nam", "Nữ").tolist(),
            self.ethnicities[s.ethnicity[part]].tolist(),
            np.where(s.disabled[part], "x", "").tolist(),
            self.schools[s.school[part]].tolist(),
            self.grades[s.grade_style[part], s.grade[part]].tolist(),
            self.statuses[s.status[part]].tolist(),
            self.wards[s.residence[part]].tolist(),
            [self.year] * (stop - start),
        )
        return list(zip(*columns, strict=True))


def write_students(world: World, students: Students, out: Path, year: int) -> Path:
    rng = rng_for(world.seed, "emis_students:bad")
    fmt = _StudentFormatter(world, students, year)
    n = len(students)

    def one(index: int) -> Row:
        return fmt.rows(index, index + 1)[0]

    k = bad_count(n)
    fresh = iter(fresh_ids(rng, students.ident, 2 * k))
    bad: list[Row] = []
    for i in rng.integers(0, n, k):
        bad.append(replace_at(replace_at(one(int(i)), 6, UNKNOWN_SCHOOL), 0, next(fresh)))
    for i in rng.integers(0, n, k):
        bad.append(replace_at(replace_at(one(int(i)), 2, f"{IMPOSSIBLE_DAY}{year - 9}"), 0, next(fresh)))
    for i, j in rng.integers(0, n, (k, 2)):
        bad.append(replace_at(one(int(i)), 0, one(int(j))[0]))
    path = out / "emis_students" / f"hcm_{school_year(year)}_hocsinh.csv"
    return write_csv_stream(path, STUDENT_HEADER, n, fmt.rows, bad_positions(rng, n, bad))


#: DM_TRINH_DO_CHUYEN_MON shares for preschool and for school teachers.
QUALIFICATION_CODES = ("01", "02", "03", "04", "05", "13", "16", "17", "18")
QUALIFICATION_MN = np.array([0.0, 0.02, 0.35, 0.15, 0.015, 0.005, 0.20, 0.245, 0.015])
QUALIFICATION_SCHOOL = np.array([0.003, 0.12, 0.45, 0.008, 0.0, 0.01, 0.383, 0.014, 0.012])
#: Lowest qualification meeting the 2019 Education Law standard: Cao đẳng for preschool, else Đại học.
_BELOW_STANDARD_MN = frozenset({"05", "18"})
_BELOW_STANDARD_SCHOOL = frozenset({"04", "05", "14", "15", "17", "18"})
ICT_CODES = ("", "01", "02", "03", "06", "08")
ICT_SHARES = np.array([0.22, 0.45, 0.10, 0.08, 0.03, 0.12])


def _teachers_per_school(world: World, students: Students) -> list[int]:
    per_school = np.bincount(students.school, minlength=len(world.schools)).astype(float)
    need = np.array([per_school[i] / KIND_PTR[s.kind] + 0.5 for i, s in enumerate(world.schools)])
    total = world.sizes.teachers
    if total >= len(world.schools):
        return [c + 1 for c in allocate(total - len(world.schools), need)]
    return allocate(total, need)


def write_teachers(world: World, students: Students, out: Path, year: int) -> Path:
    rng = rng_for(world.seed, "teachers")
    counts = _teachers_per_school(world, students)
    school = np.repeat(np.arange(len(world.schools)), counts)
    n = len(school)
    kind = np.array([world.schools[i].kind for i in school], dtype=object)
    female_share = np.array([KIND_FEMALE[k] for k in kind])
    male = rng.random(n) >= female_share
    age = np.clip(np.round(rng.triangular(22, 36, 60, n)), 22, 60).astype(np.int64)
    birth_year = year - age
    birth = _birth_dates(rng, birth_year)
    is_mn = kind == "MN"
    quali = np.where(
        is_mn,
        pick(rng, QUALIFICATION_MN, n),
        pick(rng, QUALIFICATION_SCHOOL, n),
    )
    qual_codes = np.array(QUALIFICATION_CODES, dtype=object)[quali]
    standard = [
        "03"
        if (q in _BELOW_STANDARD_MN if mn else q in _BELOW_STANDARD_SCHOOL)
        else "02"
        if q in ("01", "02")
        else "01"
        for q, mn in zip(qual_codes.tolist(), is_mn.tolist(), strict=True)
    ]
    ict = np.array(ICT_CODES, dtype=object)[pick(rng, ICT_SHARES, n)]
    surname, middle, given = _name_indexes(rng, n)
    ids = _personal_ids(rng, male, birth_year)
    codes = [world.schools[i].code for i in school]
    full = full_names(surname, middle, given, male).tolist()
    rows: list[Row] = list(
        zip(
            codes,
            [str(year)] * n,
            [f"{x:012d}" for x in ids.tolist()],
            full,
            np.datetime_as_string(birth, unit="D").tolist(),
            np.where(male, "01", "02").tolist(),
            qual_codes.tolist(),
            standard,
            ict.tolist(),
            strict=True,
        )
    )
    k = bad_count(n)
    bad_rng = rng_for(world.seed, "emis_teachers:bad")
    fresh = iter(fresh_ids(bad_rng, ids, 3 * k))
    bad: list[Row] = []
    for column, value in ((6, UNKNOWN_CODE), (4, f"{year - 75}-06-15"), (0, UNKNOWN_SCHOOL)):
        for i in bad_rng.integers(0, n, k):
            bad.append(replace_at(replace_at(rows[int(i)], column, value), 2, next(fresh)))
    path = out / "emis_teachers" / f"hcm_{school_year(year)}_giaovien.csv"
    return write_csv_stream(
        path,
        TEACHER_HEADER,
        n,
        lambda a, b: rows[a:b],
        bad_positions(bad_rng, n, bad),
        encoding="utf-8-sig",
        lineterminator="\r\n",
    )
