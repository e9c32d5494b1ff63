"""Build the reference seeds under ``dbt_project/seeds/reference/`` from the public source files.

Usage::

    python scripts/build_reference_seeds.py [--shared-data ../shared/data] [--check]

The source files are read, never copied into the repository: this script extracts the facts the
project needs (codes, names, levels, parents, validity dates, crosswalk pairs, field names and code
lists) and writes them as small UTF-8 CSV seeds with a header row and a fixed sort order, so that a
re-run on the same inputs writes identical bytes. ``--check`` writes nothing and exits 1 when a
committed seed differs from what the sources give.

Provenance and licences
-----------------------
``admin_units.csv``
    * ``pre_2025`` rows: ``admin_units/thanglequoc_v2.4.1_pre2025_simplified.json`` from
      thanglequoc/vietnamese-provinces-database, tag v2.4.1 (MIT): 63 provinces, 696 districts,
      10,035 wards. The five island districts whose ``Ward`` is null (Bạch Long Vĩ 318, Cồn Cỏ 471,
      Hoàng Sa 498, Lý Sơn 536, Côn Đảo 755) have no ward rows. ``valid_to`` is 2025-06-30 (the
      two-level reform took effect on 2025-07-01). The source does not say since when each unit
      exists, so ``valid_from`` is 1900-01-01, meaning "start unknown in source". The release is the
      state just before the reform and already contains the ward mergers of 2023–2025: HCMC has 22
      district-level units and 273 wards in it (312 before Resolution 1278/NQ-UBTVQH15 of 2024).
    * ``post_2025`` rows: ``admin_units/thanglequoc_v3.0.2_20250701_simplified.json``, same
      repository, tag v3.0.2 (MIT): 34 provinces and 3,321 wards/communes/special zones, no district
      level; a ward's parent is its province. ``valid_from`` is 2025-07-01, ``valid_to`` is empty.
    * Names are Unicode NFC; tone-mark placement is kept as published (the releases mix "Hòa" and
      "Hoà"), so compare names with ``ingestion.reference.same_name``.

``admin_crosswalk_2025.csv``
    One row per (old ward, new ward) pair of ``crosswalk_2025_old_to_new_splits.json``
    (dvhcvn/20250701, ``mapping/splits.json``, MIT), with the merge type (``full`` or ``partial``)
    of the same pair in ``crosswalk_2025_new_to_old_merges.json``. The crosswalk was compiled from
    the Standing Committee resolutions by its author and is treated as good, not authoritative.
    The source carries no population figures, so ``population_share`` is 1/split_count (rounded to
    6 decimals, the last share of an old ward absorbing the rounding so the shares sum to exactly
    1), with ``share_method`` = ``equal_split`` (``whole`` when the old ward went to one new unit).
    A city that knows the population of each part can replace these shares with real ones and set
    ``share_method`` to ``population``; the sum per old ward must stay 1.

    Checks against admin_units (what the v2.4.1 / v3.0.2 / dvhcvn files give, reported on stderr):
    * 12 old codes of the crosswalk are not pre_2025 wards of v2.4.1 (07693, 07732, 07744, 16387,
      16411, 18448, 20176, 20674, 25102, 25174, 25177, 25186): communes dissolved by mergers that
      v2.4.1 already applied. Their rows are dropped (nothing can carry those codes after ingestion).
    * 2 new codes are not post_2025 units of v3.0.2: 06970 "Xã Ba Chẽ" (v3.0.2: 06978) and 23737
      "Xã Ia Mơ" (v3.0.2: 23938). Each is remapped to the unique post_2025 unit of the same
      normalised name in the same province; the seed carries the v3.0.2 code.
    * The merges file also maps the five island districts without wards to the new special zones;
      those rows are district-level, not ward pairs, and are not in the seed.
    * Every pair of the splits file has a merge type in the merges file; every old ward split among
      several new units is ``partial`` there, and every whole one ``full``.

``emis_code_lists.csv`` and ``emis_field_names.csv``
    From ``emis/moet_csdl_nganh_mo_ta_du_lieu_DAU_NAM.xlsx``, the Ministry of Education's data
    dictionary of the education database (CSDL ngành, 2020 edition). Its licence is not stated: the
    seeds encode only field names and code lists, which are facts; the file is not redistributed.
    ``code`` is the dictionary's code as text (leading zeros kept), ``label`` its Vietnamese label,
    ``canonical_value`` the value of the human-form contract (shared/spec/inputs.md) the code
    stands for, or empty when no contract value fits (the code is known but not mappable).
    What the dictionary does and does not have:
    * DM_MUC_DAT_CHUAN_QG_CLGD has only 02 "Đạt chuẩn mức 1" and 03 "Đạt chuẩn mức 2": there is no
      code for "Chưa đạt"; CHUAN_QUOC_GIA is optional, and an empty value means not recognised.
    * DM_KHOI has 16 "Nhóm trẻ" and 17 "Lớp mẫu giáo" but no age-specific kindergarten grade: 17 is
      left unmapped (the age group is in DM_NHOM_TUOI_MN, a class attribute, or from the birth date).
    * DM_TRANG_THAI_HOC_SINH has no "Hoàn thành chương trình" or "Lưu ban" code (those are end of
      year results); transfers in and returns map to "Đang học", "Thôi học" to "Bỏ học".
    * DM_LOAI_HINH 02 "Ngoài công lập" (non-public, unspecified) is left unmapped.
    * TruongHocInfo.CapHoc uses DM_NHOM_CAP_HOC (19 codes, with the combined-level schools), not
      DM_CAP_HOC (5 codes, used by LstCanBo.CapHoc); ``emis_field_names`` records which list each
      field uses.
    * TrinhDoGvien's description says "1: Trên chuẩn, 2: Đạt chuẩn, 3: Dưới chuẩn" while
      DM_CHUAN_DAO_TAO says 01 Đạt chuẩn, 02 Trên chuẩn, 03 Chưa đạt chuẩn; both agree that 1 and 2
      meet the standard and 3 does not, which is all ``meets_standard`` needs.
    * NAM_HOC is the first calendar year of the school year (2024 for 2024-2025).
    * There is no field for a school library; KHAI_THAC_INTERNET_DAY_HOC ("uses the Internet in
      teaching", 1/0) is the closest field to ``has_internet``; TRINH_DO_TIN_HOC (an ICT
      qualification level, DM_TRINH_DO_TIN_HOC) stands for ``ict_trained``.
    The aliases MA_TRUONG, MA_XA_PHUONG, MA_KHOI, MA_TRANG_THAI and CHUAN_DAO_TAO are not
    dictionary names; they come from the input contract (shared/spec/inputs.md) and take the code
    list and required flag of the dictionary field they stand for.
"""

from __future__ import annotations

import argparse
import csv
import functools
import io
import json
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_DIR = REPO_ROOT / "dbt_project" / "seeds" / "reference"
DEFAULT_SHARED_DATA = REPO_ROOT.parent / "shared" / "data"

PRE_JSON = "admin_units/thanglequoc_v2.4.1_pre2025_simplified.json"
POST_JSON = "admin_units/thanglequoc_v3.0.2_20250701_simplified.json"
SPLITS_JSON = "admin_units/crosswalk_2025_old_to_new_splits.json"
MERGES_JSON = "admin_units/crosswalk_2025_new_to_old_merges.json"
EMIS_XLSX = "emis/moet_csdl_nganh_mo_ta_du_lieu_DAU_NAM.xlsx"

PRE_VALID_FROM = "1900-01-01"
PRE_VALID_TO = "2025-06-30"
POST_VALID_FROM = "2025-07-01"
LEVEL_RANK = {"province": 0, "district": 1, "ward": 2}

ADMIN_COLUMNS = (
    "structure",
    "unit_code",
    "unit_name",
    "full_name",
    "name_en",
    "admin_level",
    "parent_code",
    "province_code",
    "valid_from",
    "valid_to",
)
CROSSWALK_COLUMNS = (
    "old_ward_code",
    "old_ward_name",
    "old_province_code",
    "new_ward_code",
    "new_ward_name",
    "new_province_code",
    "merge_type",
    "split_count",
    "population_share",
    "share_method",
)
CODE_LIST_COLUMNS = ("code_list", "code", "label", "canonical_value")
FIELD_COLUMNS = ("source", "field_name", "canonical_column", "code_list", "required_in_csdl")

Row = tuple[str, ...]


# --------------------------------------------------------------------------------------------------
# EMIS: what the project takes from the data dictionary
# --------------------------------------------------------------------------------------------------

#: Code list -> {code: (label expected in the dictionary, canonical value or "" when not mappable)}.
#: The expected label guards against a different edition of the dictionary being read silently.
CODE_LIST_MAPPINGS: dict[str, dict[str, tuple[str, str]]] = {
    "DM_CAP_HOC": {
        "01": ("Mầm non", "Mầm non"),
        "02": ("Tiểu học", "Tiểu học"),
        "03": ("Trung học cơ sở", "THCS"),
        "04": ("Trung học phổ thông", "THPT"),
        "05": ("Giáo dục thường xuyên", "GDTX"),
    },
    "DM_NHOM_CAP_HOC": {
        "01": ("Mầm non", "Mầm non"),
        "02": ("Mẫu giáo", "Mầm non"),
        "03": ("Nhà trẻ", "Mầm non"),
        "04": ("Nhóm nhà trẻ độc lập", "Mầm non"),
        "05": ("Lớp mẫu giáo độc lập", "Mầm non"),
        "06": ("Tiểu học", "Tiểu học"),
        "07": ("THCS", "THCS"),
        "08": ("THPT", "THPT"),
        "09": ("PTCS", "Liên cấp"),
        "10": ("Trung học", "Liên cấp"),
        "11": ("Phổ thông", "Liên cấp"),
        "12": ("GDTX Tỉnh", "GDTX"),
        "13": ("GDTX Huyện", "GDTX"),
        "14": ("TTKTTHHN", "GDTX"),
        "15": ("Lớp nhô", "GDTX"),
        "16": ("MN - TH", "Liên cấp"),
        "17": ("MN - PT", "Liên cấp"),
        "18": ("MN - PTCS", "Liên cấp"),
        "19": ("Nhóm trẻ, lớp mẫu giáo độc lập", "Mầm non"),
    },
    "DM_LOAI_HINH": {
        "01": ("Công lập", "Công lập"),
        "02": ("Ngoài công lập", ""),
        "03": ("Dân lập", "Dân lập"),
        "09": ("Tư thục", "Tư thục"),
    },
    "DM_MUC_DAT_CHUAN_QG_CLGD": {
        "02": ("Đạt chuẩn mức 1", "Mức 1"),
        "03": ("Đạt chuẩn mức 2", "Mức 2"),
    },
    "DM_GIOI_TINH": {"01": ("Nam", "Nam"), "02": ("Nữ", "Nữ")},
    "DM_KHOI": {
        **{f"{g:02d}": (f"Khối {g}", str(g)) for g in range(1, 13)},
        "13": ("Khối 10", "10"),
        "14": ("Khối 11", "11"),
        "15": ("Khối 12", "12"),
        "16": ("Nhóm trẻ", "Nhà trẻ"),
        "17": ("Lớp mẫu giáo", ""),
        "18": ("Xóa mù chữ", ""),
        "19": ("Giáo dục tiếp sau khi biết chữ", ""),
        **{str(code): (f"Khối {g}", str(g)) for code, g in zip(range(20, 24), range(6, 10), strict=True)},
        **{str(code): (f"Khối {g}", str(g)) for code, g in zip(range(24, 29), range(1, 6), strict=True)},
    },
    "DM_NHOM_TUOI_MN": {
        "01": ("3-12 Tháng", "Nhà trẻ"),
        "02": ("13-24 Tháng", "Nhà trẻ"),
        "03": ("25-36 Tháng", "Nhà trẻ"),
        "04": ("3-4 Tuổi", "Mẫu giáo 3 tuổi"),
        "05": ("4-5 Tuổi", "Mẫu giáo 4 tuổi"),
        "06": ("5-6 Tuổi", "Mẫu giáo 5 tuổi"),
    },
    "DM_TRANG_THAI_HOC_SINH": {
        "01": ("Đang học", "Đang học"),
        "02": ("Chuyển đến kỳ 1", "Đang học"),
        "03": ("Nghỉ học xin học lại kỳ 1", "Đang học"),
        "04": ("Chuyển đi kỳ 1", "Chuyển đi"),
        "05": ("Thôi học kỳ 1", "Bỏ học"),
        "06": ("Chuyển đến kỳ 2", "Đang học"),
        "07": ("Nghỉ học xin học lại kỳ 2", "Đang học"),
        "08": ("Chuyển đi kỳ 2", "Chuyển đi"),
        "09": ("Thôi học kỳ 2", "Bỏ học"),
        "10": ("Chuyển đến trong hè", "Đang học"),
        "11": ("Chuyển đi trong hè", "Chuyển đi"),
        "12": ("Thôi học trong hè", "Bỏ học"),
    },
    "DM_CHUAN_DAO_TAO": {
        "01": ("Đạt chuẩn", "Có"),
        "02": ("Trên chuẩn", "Có"),
        "03": ("Chưa đạt chuẩn", "Không"),
    },
    "DM_TRINH_DO_CHUYEN_MON": {
        "01": ("Tiến sĩ", "Tiến sĩ"),
        "02": ("Thạc sĩ", "Thạc sĩ"),
        "03": ("Đại học", "Đại học"),
        "04": ("Cao đẳng", "Cao đẳng"),
        "05": ("Trung cấp", "Trung cấp"),
        "06": ("Trình độ khác", ""),
        "07": ("Bác sĩ chuyên khoa 1", ""),
        "08": ("Bác sĩ chuyên khoa 2", ""),
        "09": ("TH 12 +2", "Trung cấp"),
        "10": ("TH 9 + 3", "Trung cấp"),
        "11": ("Dưới THSP", ""),
        "13": ("Đại học và có chứng chỉ BDNVSP", "Đại học"),
        "14": ("Cao đẳng và có chứng chỉ BDNVSP", "Cao đẳng"),
        "15": ("Trung cấp và có chứng chỉ BDNVSP", "Trung cấp"),
        "16": ("Đại học sư phạm", "Đại học"),
        "17": ("Cao đẳng sư phạm", "Cao đẳng"),
        "18": ("Trung cấp sư phạm", "Trung cấp"),
    },
    "DM_TRINH_DO": {
        "05": ("Trung cấp", "Trung cấp"),
        "06": ("Cao đẳng", "Cao đẳng"),
        "07": ("Đại học", "Đại học"),
        "08": ("Thạc sĩ", "Thạc sĩ"),
        "09": ("Tiến sĩ", "Tiến sĩ"),
    },
    "DM_TRINH_DO_TIN_HOC": {
        "01": ("Cơ bản (TT03)", "Có"),
        "02": ("Nâng cao (TT03)", "Có"),
        "03": ("Khác", "Có"),
        "04": ("Trung cấp", "Có"),
        "05": ("Cao đẳng", "Có"),
        "06": ("Đại học", "Có"),
        "07": ("Sau đại học", "Có"),
        "08": ("Chuẩn IC3", "Có"),
    },
}

#: Canonical values taken from the dictionary label itself, with the contract's spelling overrides.
LABEL_CODE_LISTS: dict[str, dict[str, str]] = {"DM_DAN_TOC": {"05": "Khmer"}}


@dataclass(frozen=True)
class FieldSpec:
    """A dictionary field (``sheet``/``field``) that maps to a canonical column of ``source``."""

    source: str
    sheet: str
    field: str
    canonical_column: str


FIELD_SPECS: tuple[FieldSpec, ...] = (
    FieldSpec("emis_schools", "TruongHocInfo", "MaTruongHoc", "school_code"),
    FieldSpec("emis_schools", "TruongHocInfo", "TenTruongHoc", "school_name"),
    FieldSpec("emis_schools", "TruongHocInfo", "NamHoc", "school_year"),
    FieldSpec("emis_schools", "TruongHocInfo", "CapHoc", "level"),
    FieldSpec("emis_schools", "TruongHocInfo", "LoaiHinhDaoTao", "ownership"),
    FieldSpec("emis_schools", "TruongHocInfo", "ChuanQuocGia", "national_standard"),
    FieldSpec("emis_schools", "TruongHocInfo", "MaXa", "ward_code"),
    FieldSpec("emis_schools", "TruongHocInfo", "KhaiThacInternetDayHoc", "has_internet"),
    # Students and staff are sent inside a request that names the school and the year.
    FieldSpec("emis_students", "TruongHocInfo", "MaTruongHoc", "school_code"),
    FieldSpec("emis_students", "TruongHocInfo", "NamHoc", "school_year"),
    FieldSpec("emis_students", "LstHocSinh", "MaHocSinh", "student_id"),
    FieldSpec("emis_students", "LstHocSinh", "HoTen", "full_name"),
    FieldSpec("emis_students", "LstHocSinh", "NgaySinh", "birth_date"),
    FieldSpec("emis_students", "LstHocSinh", "GioiTinh", "gender"),
    FieldSpec("emis_students", "LstHocSinh", "MaDanToc", "ethnicity"),
    FieldSpec("emis_students", "LstHocSinh", "KhuyetTat", "disability"),
    FieldSpec("emis_students", "LstHocSinh", "KhoiHoc", "grade"),
    FieldSpec("emis_students", "LstHocSinh", "TrangThai", "status"),
    FieldSpec("emis_students", "LstHocSinh", "MaPxaThtru", "residence_ward_code"),
    FieldSpec("emis_teachers", "TruongHocInfo", "MaTruongHoc", "school_code"),
    FieldSpec("emis_teachers", "TruongHocInfo", "NamHoc", "school_year"),
    FieldSpec("emis_teachers", "LstCanBo", "MaCanBo", "teacher_id"),
    FieldSpec("emis_teachers", "LstCanBo", "TenCanBo", "full_name"),
    FieldSpec("emis_teachers", "LstCanBo", "NgaySinh", "birth_date"),
    FieldSpec("emis_teachers", "LstCanBo", "GioiTinh", "gender"),
    FieldSpec("emis_teachers", "LstCanBo", "TrinhDoDaoTao", "qualification"),
    FieldSpec("emis_teachers", "LstCanBo", "TrinhDoGvien", "meets_standard"),
    FieldSpec("emis_teachers", "LstCanBo", "TrinhDoTinHoc", "ict_trained"),
)

#: Field names of the input contract that the dictionary does not use: (source, field, canonical).
CONTRACT_ALIASES: tuple[tuple[str, str, str], ...] = (
    ("emis_schools", "MA_TRUONG", "school_code"),
    ("emis_schools", "MA_XA_PHUONG", "ward_code"),
    ("emis_students", "MA_TRUONG", "school_code"),
    ("emis_students", "MA_KHOI", "grade"),
    ("emis_students", "MA_TRANG_THAI", "status"),
    ("emis_teachers", "MA_TRUONG", "school_code"),
    ("emis_teachers", "CHUAN_DAO_TAO", "meets_standard"),
)


# --------------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------------


def nfc(value: str | None) -> str:
    return unicodedata.normalize("NFC", value or "").strip()


@functools.cache
def warn(message: str) -> None:
    """Report a finding on stderr, once."""
    print(f"build_reference_seeds: {message}", file=sys.stderr)


def load_json(shared: Path, relative: str) -> object:
    with (shared / relative).open(encoding="utf-8") as handle:
        return json.load(handle)


def render_csv(header: Sequence[str], rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------------------------------
# admin units
# --------------------------------------------------------------------------------------------------


def _unit_row(structure: str, level: str, unit: dict, parent: str, province: str) -> Row:
    valid = (PRE_VALID_FROM, PRE_VALID_TO) if structure == "pre_2025" else (POST_VALID_FROM, "")
    return (
        structure,
        unit["Code"],
        nfc(unit["Name"]),
        nfc(unit["FullName"]),
        nfc(unit.get("NameEn")),
        level,
        parent,
        province,
        *valid,
    )


def pre_2025_rows(provinces: list[dict]) -> list[Row]:
    rows: list[Row] = []
    for province in provinces:
        pcode = province["Code"]
        rows.append(_unit_row("pre_2025", "province", province, "", pcode))
        for district in province["District"]:
            rows.append(_unit_row("pre_2025", "district", district, pcode, pcode))
            for ward in district["Ward"] or []:
                rows.append(_unit_row("pre_2025", "ward", ward, district["Code"], pcode))
    return rows


def post_2025_rows(provinces: list[dict]) -> list[Row]:
    rows: list[Row] = []
    for province in provinces:
        pcode = province["Code"]
        rows.append(_unit_row("post_2025", "province", province, "", pcode))
        for ward in province["Wards"]:
            rows.append(_unit_row("post_2025", "ward", ward, pcode, pcode))
    return rows


def admin_unit_rows(shared: Path) -> list[Row]:
    rows = pre_2025_rows(load_json(shared, PRE_JSON)) + post_2025_rows(load_json(shared, POST_JSON))
    rows.sort(key=lambda r: (r[0] != "pre_2025", LEVEL_RANK[r[5]], r[1]))
    keys = [(r[0], r[1]) for r in rows]
    if len(set(keys)) != len(keys):
        raise SystemExit("admin units: duplicate (structure, unit_code)")
    return rows


# --------------------------------------------------------------------------------------------------
# crosswalk
# --------------------------------------------------------------------------------------------------


def equal_shares(count: int) -> list[str]:
    """1/count rounded to 6 decimals; the last share takes the rounding so the sum is exactly 1."""
    share = (Decimal(1) / Decimal(count)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    shares = [share] * (count - 1)
    shares.append(Decimal(1) - sum(shares, Decimal(0)))
    return [f"{s:.6f}" for s in shares]


@functools.cache
def _normalizer() -> Callable[[str], str]:
    # Imported late so that the script runs from a checkout without the package being installed.
    sys.path.insert(0, str(REPO_ROOT))
    from ingestion.reference import normalize_vn_name

    return normalize_vn_name


def _name_key(name: str) -> str:
    return _normalizer()(name).casefold()


@dataclass(frozen=True)
class Ward:
    code: str
    full_name: str
    province_code: str


def _wards(rows: list[Row], structure: str) -> dict[str, Ward]:
    return {r[1]: Ward(r[1], r[3], r[7]) for r in rows if r[0] == structure and r[5] == "ward"}


def _resolve_new(code: str, name: str, province: str, post: dict[str, Ward]) -> str | None:
    if code in post:
        return code
    same = [
        w.code
        for w in post.values()
        if w.province_code == province and _name_key(w.full_name) == _name_key(name)
    ]
    return same[0] if len(same) == 1 else None


def crosswalk_rows(shared: Path, units: list[Row]) -> list[Row]:
    splits = load_json(shared, SPLITS_JSON)["data"]
    merges = load_json(shared, MERGES_JSON)["data"]
    pre, post = _wards(units, "pre_2025"), _wards(units, "post_2025")
    merge_type = {
        (old["old_id"], new["level2_id"]): old["type"]
        for province in merges
        for new in province["level2s"]
        for old in new["merges"]
    }
    new_province = {
        new["level2_id"]: province["level1_id"] for province in merges for new in province["level2s"]
    }
    rows: list[Row] = []
    for province in splits:
        for old in province["level3s"]:
            rows.extend(_old_ward_rows(old, province["level1_id"], pre, post, merge_type, new_province))
    rows.sort(key=lambda r: (r[0], r[3]))
    return rows


def _old_ward_rows(
    old: dict,
    old_province: str,
    pre: dict[str, Ward],
    post: dict[str, Ward],
    merge_type: dict[tuple[str, str], str],
    new_province: dict[str, str],
) -> list[Row]:
    code = old["level3_id"]
    if code not in pre:
        warn(f"crosswalk: old ward {code} {old['name']!r} is not a pre_2025 ward; rows dropped")
        return []
    targets = old["splits"]
    shares = equal_shares(len(targets))
    method = "whole" if len(targets) == 1 else "equal_split"
    rows: list[Row] = []
    for target, share in zip(targets, shares, strict=True):
        source_code = target["new_id"]
        province = new_province.get(source_code, "")
        new_code = _resolve_new(source_code, target["name"], province, post)
        if new_code is None:
            warn(f"crosswalk: new unit {source_code} {target['name']!r} not in post_2025; pair dropped")
            continue
        if new_code != source_code:
            warn(
                f"crosswalk: new unit {source_code} {target['name']!r} remapped to post_2025 code {new_code}"
            )
        kind = merge_type.get((code, source_code))
        if kind is None:
            warn(f"crosswalk: pair {code}->{source_code} has no merge type in the merges file")
            kind = "full" if len(targets) == 1 else "partial"
        rows.append(
            (
                code,
                nfc(old["name"]),
                old_province,
                new_code,
                post[new_code].full_name,
                post[new_code].province_code,
                kind,
                str(len(targets)),
                share,
                method,
            )
        )
    return rows


def report_crosswalk_coverage(rows: list[Row], units: list[Row]) -> None:
    pre, post = _wards(units, "pre_2025"), _wards(units, "post_2025")
    old_codes, new_codes = {r[0] for r in rows}, {r[3] for r in rows}
    for code in sorted(set(pre) - old_codes):
        warn(f"crosswalk: pre_2025 ward {code} {pre[code].full_name!r} has no successor")
    for code in sorted(set(post) - new_codes):
        warn(f"crosswalk: post_2025 unit {code} {post[code].full_name!r} has no ward predecessor")


# --------------------------------------------------------------------------------------------------
# EMIS dictionary
# --------------------------------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).replace("\xa0", " ").strip()


def read_code_list(workbook: openpyxl.Workbook, name: str) -> list[tuple[str, str]]:
    """(code, label) pairs of a DM_* sheet: the rows under the header row that starts with STT."""
    sheet = workbook[name]
    pairs: list[tuple[str, str]] = []
    in_body = False
    for values in sheet.iter_rows(values_only=True):
        cells = [_cell_text(v) for v in values]
        if not in_body:
            in_body = bool(cells) and cells[0] == "STT"
            continue
        if len(cells) > 2 and cells[1]:
            pairs.append((cells[1], cells[2]))
    return pairs


def code_list_rows(workbook: openpyxl.Workbook) -> list[Row]:
    rows: list[Row] = []
    for name in sorted(set(CODE_LIST_MAPPINGS) | set(LABEL_CODE_LISTS)):
        if name not in workbook.sheetnames:
            warn(f"emis: code list {name} is not in the dictionary; nothing encoded")
            continue
        rows.extend(_code_list(name, read_code_list(workbook, name)))
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def _code_list(name: str, pairs: list[tuple[str, str]]) -> list[Row]:
    expected = CODE_LIST_MAPPINGS.get(name)
    overrides = LABEL_CODE_LISTS.get(name, {})
    found = {code for code, _ in pairs}
    if expected is not None and found != set(expected):
        raise SystemExit(f"emis: {name} codes {sorted(found)} differ from the mapping {sorted(expected)}")
    rows: list[Row] = []
    for code, label in pairs:
        if expected is None:
            rows.append((name, code, label, overrides.get(code, label)))
            continue
        want_label, canonical = expected[code]
        if label != want_label:
            raise SystemExit(f"emis: {name} {code} is labelled {label!r}, expected {want_label!r}")
        rows.append((name, code, label, canonical))
    return rows


@dataclass(frozen=True)
class DictionaryField:
    names: tuple[str, ...]
    code_list: str
    required: bool


def read_fields(workbook: openpyxl.Workbook, sheet: str) -> dict[str, DictionaryField]:
    """Dictionary fields of an object sheet keyed by the API field name (column B).

    Columns H and I hold the field names in the database tables (``CSDL Ngành sử dụng``); column D
    is ``x`` for a required field; column F names the DM_* code list when there is one.
    """
    fields: dict[str, DictionaryField] = {}
    for values in workbook[sheet].iter_rows(min_row=3, values_only=True):
        cells = [_cell_text(v) for v in values] + [""] * 9
        if not cells[1]:
            continue
        names = tuple(dict.fromkeys(n for n in (cells[7], cells[8]) if n))
        code_list = cells[5] if cells[5].startswith("DM_") else ""
        fields[cells[1]] = DictionaryField(names, code_list, cells[3].lower() == "x")
    return fields


def field_name_rows(workbook: openpyxl.Workbook, known_lists: set[str]) -> list[Row]:
    cache: dict[str, dict[str, DictionaryField]] = {}
    rows: list[Row] = []
    by_column: dict[tuple[str, str], tuple[str, str]] = {}
    for spec in FIELD_SPECS:
        if spec.sheet not in cache:
            cache[spec.sheet] = read_fields(workbook, spec.sheet)
        fields = cache[spec.sheet]
        found = fields.get(spec.field)
        if found is None or not found.names:
            warn(f"emis: {spec.sheet}.{spec.field} not found in the dictionary")
            continue
        code_list = found.code_list if found.code_list in known_lists else ""
        required = "true" if found.required else "false"
        by_column[(spec.source, spec.canonical_column)] = (code_list, required)
        rows.extend((spec.source, name, spec.canonical_column, code_list, required) for name in found.names)
    for source, name, column in CONTRACT_ALIASES:
        code_list, required = by_column[(source, column)]
        rows.append((source, name, column, code_list, required))
    rows.sort(key=lambda r: (r[0], r[2], r[1]))
    keys = [(r[0], r[1]) for r in rows]
    if len(set(keys)) != len(keys):
        raise SystemExit("emis: a field name maps to two canonical columns")
    return rows


# --------------------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------------------


def build(shared: Path) -> dict[str, bytes]:
    """Render every seed; keys are file names under ``SEED_DIR``."""
    units = admin_unit_rows(shared)
    crosswalk = crosswalk_rows(shared, units)
    report_crosswalk_coverage(crosswalk, units)
    workbook = openpyxl.load_workbook(shared / EMIS_XLSX, read_only=True)
    try:
        codes = code_list_rows(workbook)
        fields = field_name_rows(workbook, {r[0] for r in codes})
    finally:
        workbook.close()
    return {
        "admin_units.csv": render_csv(ADMIN_COLUMNS, units),
        "admin_crosswalk_2025.csv": render_csv(CROSSWALK_COLUMNS, crosswalk),
        "emis_code_lists.csv": render_csv(CODE_LIST_COLUMNS, codes),
        "emis_field_names.csv": render_csv(FIELD_COLUMNS, fields),
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--shared-data",
        type=Path,
        default=DEFAULT_SHARED_DATA,
        help="folder with admin_units/ and emis/ (default: <repo>/../shared/data)",
    )
    parser.add_argument("--out", type=Path, default=SEED_DIR, help="seed folder (default: %(default)s)")
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed seeds, write nothing"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    seeds = build(args.shared_data.resolve())
    if args.check:
        stale = [name for name, data in seeds.items() if (args.out / name).read_bytes() != data]
        for name in stale:
            warn(f"{name} is out of date; run scripts/build_reference_seeds.py")
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in seeds.items():
        (args.out / name).write_bytes(data)
        rows = data.count(b"\n") - 1
        print(f"wrote {args.out / name} ({rows} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
