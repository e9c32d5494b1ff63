"""Reference data: administrative units, the 2025 ward crosswalk and the EMIS code lists.

The facts live in the dbt seeds under ``dbt_project/seeds/reference/`` (derived from public sources by
``scripts/build_reference_seeds.py``, which documents their provenance); this module reads the same
CSV files, so the ingestion checks and the warehouse always agree. Every reader is cached.

Periods and the 2025 reform
---------------------------
The two-level government took effect on 2025-07-01: ``pre_2025`` codes (province, district, ward)
are valid until 2025-06-30, ``post_2025`` codes (province, ward) from 2025-07-01.

* a date belongs to ``pre_2025`` before 2025-07-01;
* a school year ``yyyy-yyyy`` belongs to the structure of its start (September of the first year):
  ``pre_2025`` when the first year is 2024 or earlier, ``post_2025`` from ``2025-2026`` on;
* a calendar year up to 2024 is ``pre_2025``, from 2026 ``post_2025``. The calendar year 2025 spans
  both structures: ``structure_for_period(2025)`` answers ``pre_2025`` (the structure of its first
  half, and of the yearly reports that cities compiled for 2025 on the old units), while
  ``ward_codes_for_period(2025)`` returns the codes of both structures so that a 2025 file written
  with either kind of code passes the existence check.

Names
-----
Official releases differ in where the tone mark sits on ``oa``, ``oe`` and ``uy`` at the end of a
syllable ("Hòa"/"Hoà", "Thủy"/"Thuỷ", "Khỏe"/"Khoẻ"). ``normalize_vn_name`` applies Unicode NFC and
the classic placement on the first vowel (Hòa, Thủy, Khỏe), the one most GSO names use; ``same_name``
compares two names after that, case-insensitively, optionally ignoring the unit type prefix.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds" / "reference"

PRE_2025 = "pre_2025"
POST_2025 = "post_2025"
STRUCTURES = (PRE_2025, POST_2025)
REFORM_DATE = date(2025, 7, 1)
#: The calendar year in which both structures were in force.
REFORM_YEAR = 2025

HCMC_PROVINCE_CODE = "79"
EMIS_SOURCES = ("emis_schools", "emis_students", "emis_teachers")


@dataclass(frozen=True, slots=True)
class AdminUnit:
    """One administrative unit of one structure (``admin_units.csv``)."""

    structure: str
    unit_code: str
    unit_name: str
    full_name: str
    name_en: str
    admin_level: str
    parent_code: str | None
    province_code: str
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class CrosswalkPair:
    """One (old ward, new ward) pair of the 2025 reform (``admin_crosswalk_2025.csv``)."""

    old_ward_code: str
    old_ward_name: str
    old_province_code: str
    new_ward_code: str
    new_ward_name: str
    new_province_code: str
    merge_type: str
    split_count: int
    population_share: Decimal
    share_method: str


def _read_seed(name: str) -> list[dict[str, str]]:
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _optional_date(value: str) -> date | None:
    return date.fromisoformat(value) if value else None


def _check_structure(structure: str) -> str:
    if structure not in STRUCTURES:
        raise ValueError(f"unknown structure {structure!r}; expected one of {STRUCTURES}")
    return structure


# --------------------------------------------------------------------------------------------------
# administrative units
# --------------------------------------------------------------------------------------------------


@functools.cache
def _all_units() -> tuple[AdminUnit, ...]:
    return tuple(
        AdminUnit(
            structure=row["structure"],
            unit_code=row["unit_code"],
            unit_name=row["unit_name"],
            full_name=row["full_name"],
            name_en=row["name_en"],
            admin_level=row["admin_level"],
            parent_code=row["parent_code"] or None,
            province_code=row["province_code"],
            valid_from=date.fromisoformat(row["valid_from"]),
            valid_to=_optional_date(row["valid_to"]),
        )
        for row in _read_seed("admin_units.csv")
    )


@functools.cache
def _index() -> dict[tuple[str, str], AdminUnit]:
    return {(u.structure, u.unit_code): u for u in _all_units()}


def admin_units(structure: str | None = None) -> list[AdminUnit]:
    """Every unit, or the units of one structure, in seed order (province, district, ward; by code)."""
    if structure is None:
        return list(_all_units())
    _check_structure(structure)
    return [u for u in _all_units() if u.structure == structure]


def unit(code: str, structure: str) -> AdminUnit | None:
    """The unit with this code in this structure, at any level."""
    return _index().get((_check_structure(structure), code))


def ward(code: str, structure: str) -> AdminUnit | None:
    """The ward/commune with this code in this structure, or None."""
    found = unit(code, structure)
    return found if found is not None and found.admin_level == "ward" else None


@functools.cache
def ward_codes(structure: str) -> frozenset[str]:
    """Codes of every ward/commune of a structure."""
    _check_structure(structure)
    return frozenset(
        u.unit_code for u in _all_units() if u.structure == structure and u.admin_level == "ward"
    )


def children(parent_code: str, structure: str) -> list[AdminUnit]:
    """Units whose parent is ``parent_code`` (districts of a province, wards of a district)."""
    _check_structure(structure)
    return [u for u in _all_units() if u.structure == structure and u.parent_code == parent_code]


def hcmc_districts_pre2025() -> list[AdminUnit]:
    """The 22 district-level units of Ho Chi Minh City before the reform (incl. Thủ Đức city, 769)."""
    return children(HCMC_PROVINCE_CODE, PRE_2025)


def hcmc_wards_pre2025() -> list[AdminUnit]:
    """Wards/communes of Ho Chi Minh City before the reform, ordered by district then ward code."""
    wards = [
        u
        for u in _all_units()
        if u.structure == PRE_2025 and u.admin_level == "ward" and u.province_code == HCMC_PROVINCE_CODE
    ]
    return sorted(wards, key=lambda u: (u.parent_code or "", u.unit_code))


# --------------------------------------------------------------------------------------------------
# periods
# --------------------------------------------------------------------------------------------------

_SCHOOL_YEAR = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")
_YEAR = re.compile(r"^\d{4}$")


def structure_for_date(d: date) -> str:
    """``pre_2025`` before 2025-07-01, ``post_2025`` from that day."""
    return PRE_2025 if d < REFORM_DATE else POST_2025


def _parse_period(period: str | int) -> tuple[int, bool]:
    """(first calendar year, is a school year)."""
    if isinstance(period, bool):
        raise ValueError(f"not a period: {period!r}")
    if isinstance(period, int):
        return period, False
    text = str(period).strip()
    if _YEAR.match(text):
        return int(text), False
    match = _SCHOOL_YEAR.match(text)
    if match and int(match.group(2)) == int(match.group(1)) + 1:
        return int(match.group(1)), True
    raise ValueError(f"not a period: {period!r} (expected a school year like 2024-2025 or a year like 2024)")


def structure_for_period(period: str | int) -> str:
    """Structure whose codes a period's data is expected in (see the module docstring for 2025)."""
    first, is_school_year = _parse_period(period)
    if is_school_year:
        return PRE_2025 if first < REFORM_YEAR else POST_2025
    return PRE_2025 if first <= REFORM_YEAR else POST_2025


def ward_codes_for_period(period: str | int) -> frozenset[str]:
    """Ward codes valid for a period: both structures' for the calendar year 2025, else one's."""
    first, is_school_year = _parse_period(period)
    if not is_school_year and first == REFORM_YEAR:
        return ward_codes(PRE_2025) | ward_codes(POST_2025)
    return ward_codes(structure_for_period(period))


# --------------------------------------------------------------------------------------------------
# crosswalk
# --------------------------------------------------------------------------------------------------


@functools.cache
def _crosswalk() -> tuple[CrosswalkPair, ...]:
    return tuple(
        CrosswalkPair(
            old_ward_code=row["old_ward_code"],
            old_ward_name=row["old_ward_name"],
            old_province_code=row["old_province_code"],
            new_ward_code=row["new_ward_code"],
            new_ward_name=row["new_ward_name"],
            new_province_code=row["new_province_code"],
            merge_type=row["merge_type"],
            split_count=int(row["split_count"]),
            population_share=Decimal(row["population_share"]),
            share_method=row["share_method"],
        )
        for row in _read_seed("admin_crosswalk_2025.csv")
    )


def crosswalk_2025() -> list[CrosswalkPair]:
    """Every (old ward, new ward) pair with its population share."""
    return list(_crosswalk())


# --------------------------------------------------------------------------------------------------
# EMIS field names and code lists
# --------------------------------------------------------------------------------------------------


@functools.cache
def _code_lists() -> dict[str, dict[str, str]]:
    lists: dict[str, dict[str, str]] = {}
    for row in _read_seed("emis_code_lists.csv"):
        lists.setdefault(row["code_list"], {})[row["code"]] = row["canonical_value"]
    return lists


def emis_code_lists() -> list[str]:
    """Names of the DM_* code lists the project encodes."""
    return sorted(_code_lists())


def emis_code_map(code_list: str) -> dict[str, str]:
    """Code -> canonical value of a DM_* list.

    A code absent from the map is unknown (an error for the row); a code mapped to ``""`` is known
    but stands for no value of the human-form contract (also an error, with a different message).
    """
    try:
        return dict(_code_lists()[code_list])
    except KeyError:
        raise KeyError(f"unknown EMIS code list {code_list!r}; known: {emis_code_lists()}") from None


@functools.cache
def _field_rows() -> tuple[dict[str, str], ...]:
    return tuple(_read_seed("emis_field_names.csv"))


def _fields(source: str) -> list[dict[str, str]]:
    if source not in EMIS_SOURCES:
        raise ValueError(f"unknown EMIS source {source!r}; expected one of {EMIS_SOURCES}")
    return [row for row in _field_rows() if row["source"] == source]


def emis_field_aliases(source: str) -> dict[str, str]:
    """Coded field name (``MA_TRUONG_HOC``) -> canonical column (``school_code``) of an EMIS source."""
    return {row["field_name"]: row["canonical_column"] for row in _fields(source)}


def emis_field_code_list(source: str) -> dict[str, str]:
    """Canonical column -> DM_* code list its coded values come from (columns without a list omitted)."""
    return {row["canonical_column"]: row["code_list"] for row in _fields(source) if row["code_list"]}


def emis_required_fields(source: str) -> frozenset[str]:
    """Coded field names the dictionary marks as required (``x``)."""
    return frozenset(row["field_name"] for row in _fields(source) if row["required_in_csdl"] == "true")


# --------------------------------------------------------------------------------------------------
# names
# --------------------------------------------------------------------------------------------------

_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"
# In NFD: a syllable-final "oa"/"oe"/"uy" whose tone mark sits on the second vowel ("hoà", "thuỷ").
# "uy" after "q" is excluded: in "quý" the "u" belongs to the consonant and the mark stays on "y".
_NEW_STYLE_TONE = re.compile(rf"(?:([oO])([aAeE])|(?<![qQ])([uU])([yY]))([{_TONE_MARKS}])(?!\w)")
_UNIT_PREFIXES = (
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "phường",
    "quận",
    "huyện",
    "tỉnh",
    "tp.",
    "tp",
    "xã",
)


def _classic_tone(match: re.Match[str]) -> str:
    first = match.group(1) or match.group(3)
    second = match.group(2) or match.group(4)
    return first + match.group(5) + second


def normalize_vn_name(s: str) -> str:
    """NFC, classic tone placement ("Hoà" -> "Hòa", "Thuỷ" -> "Thủy", "Khoẻ" -> "Khỏe"), single spaces."""
    decomposed = unicodedata.normalize("NFD", s)
    placed = _NEW_STYLE_TONE.sub(_classic_tone, decomposed)
    return " ".join(unicodedata.normalize("NFC", placed).split())


def strip_unit_type(name: str) -> str:
    """The name without a leading unit type ("Phường Bến Nghé" -> "Bến Nghé", "Quận 3" -> "3")."""
    text = normalize_vn_name(name)
    folded = text.casefold()
    for prefix in _UNIT_PREFIXES:
        if folded.startswith(prefix) and (len(folded) == len(prefix) or not folded[len(prefix)].isalnum()):
            return text[len(prefix) :].lstrip(" .")
    return text


def _comparable(name: str, ignore_unit_type: bool) -> str:
    text = strip_unit_type(name) if ignore_unit_type else normalize_vn_name(name)
    key = text.casefold()
    return str(int(key)) if key.isdigit() else key


def same_name(a: str, b: str, ignore_unit_type: bool = True) -> bool:
    """Whether two unit names are the same after normalisation, ignoring case (and the unit type)."""
    return _comparable(a, ignore_unit_type) == _comparable(b, ignore_unit_type)
