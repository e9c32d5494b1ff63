"""Sample landing folder for Ho Chi Minh City: ``python -m ingestion.sample --out DIR``.

Writes one subfolder per source of shared/spec/inputs.md with files that follow the input contracts,
including their real-world mess, for province 79 in the pre-2025 structure (22 district-level units,
the wards of ``ingestion.reference.hcmc_wards_pre2025()``)::

    python -m ingestion.sample --out landing [--scale 0.01] [--seed 42] [--year 2024]
    python -m ingestion.sample --out landing --increment-day 2025-01-02 [--scale 0.01] [--seed 42]

``--scale 1.0`` is the city's real size (1,726,208 students, 80,721 teachers, about 2,300 schools,
about 5,000,000 library loans a year); every count scales linearly (rounded, at least 1). Wards are the
unit of analysis, so wards, community learning centres, district libraries and ward libraries do not
scale; their activity (participants, visitors, population) does. The output is deterministic: the
same arguments give the same bytes (fixed seeds, no clock, fixed workbook times).

Each source carries a few deliberately bad rows (``BAD_ROWS``; about 0.1–0.5 % of a big file, at least
one per source) that the pipeline must quarantine, and mess that it must load (``MESS``).
``--increment-day`` writes only one more day of library loans and visits, as a nightly delta.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingestion import reference
from ingestion.sample_community import (
    write_clc_activities,
    write_clc_register,
    write_khuyenhoc,
    write_literacy,
)
from ingestion.sample_emis import make_students, school_year, write_schools, write_students, write_teachers
from ingestion.sample_library import make_patrons, write_increment, write_loans, write_register, write_visits
from ingestion.sample_world import (
    IMPOSSIBLE_DAY,
    UNKNOWN_CENTRE,
    UNKNOWN_CODE,
    UNKNOWN_LIBRARY,
    UNKNOWN_SCHOOL,
    UNKNOWN_WARD,
    build_world,
    sizes,
)

__all__ = [
    "BAD_ROWS",
    "MESS",
    "SOURCES",
    "BadRow",
    "generate",
    "generate_increment",
    "main",
    "school_year",
    "sizes",
]

SOURCES: tuple[str, ...] = (
    "emis_schools",
    "emis_students",
    "emis_teachers",
    "library_register",
    "library_loans",
    "library_visits",
    "clc_register",
    "clc_activities",
    "khuyenhoc_ward_report",
    "literacy_survey",
)


@dataclass(frozen=True)
class BadRow:
    """A kind of deliberately bad row: the pipeline must quarantine it with this rule."""

    source: str
    column: str
    rule: str
    marker: str | None
    description: str


BAD_ROWS: tuple[BadRow, ...] = (
    BadRow("emis_schools", "level", "unknown_code", UNKNOWN_CODE, "an extra school with CAP_HOC 99"),
    BadRow("emis_schools", "ward_code", "ward_exists", UNKNOWN_WARD, "an extra school in ward 99999"),
    BadRow("emis_students", "school_code", "reference", UNKNOWN_SCHOOL, "pupils of an unknown school"),
    BadRow("emis_students", "birth_date", "date", IMPOSSIBLE_DAY, "birth date 31/02/yyyy"),
    BadRow("emis_students", "student_id", "unique", None, "a second pupil with an existing Mã định danh"),
    BadRow("emis_teachers", "qualification", "unknown_code", UNKNOWN_CODE, "TRINH_DO_DAO_TAO 99"),
    BadRow("emis_teachers", "birth_date", "age_between", None, "a teacher aged 75 (NGAY_SINH year - 75)"),
    BadRow("emis_teachers", "school_code", "reference", UNKNOWN_SCHOOL, "a teacher of an unknown school"),
    BadRow(
        "library_register", "ward_code", "ward_exists", UNKNOWN_WARD, "an extra reading room in ward 99999"
    ),
    BadRow("library_loans", "loan_id", "unique", None, "a loan repeating an existing Mã lượt mượn"),
    BadRow("library_loans", "return_ts", "not_before", None, "returned one day before it was lent"),
    BadRow(
        "library_loans", "library_code", "reference", UNKNOWN_LIBRARY, "a loan of an unregistered library"
    ),
    BadRow("library_loans", "loan_ts", "datetime", IMPOSSIBLE_DAY, "loan time 31/02/yyyy (February file)"),
    BadRow("library_visits", "visitors_female", "le", None, "female visitors above all visitors"),
    BadRow("library_visits", "online_sessions", "min_value", "-5", "negative online sessions"),
    BadRow("clc_register", "ward_code", "ward_exists", UNKNOWN_WARD, "an extra centre in ward 99999"),
    BadRow("clc_activities", "participants_female", "le", None, "female participants above participants"),
    BadRow("clc_activities", "end_date", "not_before", None, "end date three days before the start"),
    BadRow("clc_activities", "start_date", "date", IMPOSSIBLE_DAY, "start date 31/02/yyyy (text cell)"),
    BadRow("clc_activities", "clc_code", "reference", UNKNOWN_CENTRE, "an activity of an unknown centre"),
    BadRow(
        "khuyenhoc_ward_report",
        "households_learning",
        "le",
        None,
        "first ward of the first district: learning households above households (+57)",
    ),
    BadRow(
        "khuyenhoc_ward_report", "ward_code", "ward_exists", UNKNOWN_WARD, "extra row 99999, second district"
    ),
    BadRow("literacy_survey", "ward_code", "ward_exists", UNKNOWN_WARD, "an extra row for ward 99999"),
)

#: Mess that must load after normalisation (not errors).
MESS: tuple[str, ...] = (
    "emis_schools: coded form, title block above the header, ` *` after required fields, NAM_HOC is the "
    "first year (2024), CHUAN_QUOC_GIA empty when not recognised, some MA_XA as numeric cells, "
    "'Có thư viện' as a Vietnamese header in a coded file",
    "emis_students: header cells with a trailing space and a line break; grades written 6, 'Lớp 6', 'Khối 6'",
    "emis_teachers: coded form as CSV with a BOM; codes with leading zeros; ISO birth dates",
    "library_register: Windows-1258 with decomposed tone marks",
    "library_loans: ISO datetimes in odd months, dd/mm/yyyy HH:MM in even months; canonical English "
    "headers for loan_id and library_code from July",
    "library_visits: UTF-8 with BOM, Vietnamese thousands separators",
    "clc_register: yes/no as Có/Không and x/empty; some ward codes as numeric cells",
    "clc_activities: dates as Excel dates in most rows and dd/mm/yyyy text in others",
    "khuyenhoc_ward_report: title rows, two-row merged header, STT column, Tổng cộng row and a note "
    "under it; fund as text '125.000.000' in every other workbook; ward codes as numbers in some",
    "literacy_survey: Vietnamese thousands separators",
)


# --------------------------------------------------------------------------------------------------
# entry points
# --------------------------------------------------------------------------------------------------


def generate(out: Path, scale: float = 0.01, seed: int = 42, year: int = 2024) -> dict[str, list[Path]]:
    """Write a full landing folder for ``year`` (school year ``year``-``year+1``) under ``out``.

    The files use the pre-2025 ward codes, so ``year`` must be 2024 or earlier (the school year
    2025-2026 belongs to the post-2025 structure).
    """
    if reference.structure_for_period(school_year(year)) != reference.PRE_2025:
        raise ValueError(f"year {year}: the sample writes pre-2025 ward codes; use 2024 or earlier")
    out = Path(out)
    world = build_world(seed, scale)
    students = make_students(world, year)
    patrons = make_patrons(world)
    files = {
        "emis_schools": [write_schools(world, out, year)],
        "emis_students": [write_students(world, students, out, year)],
        "emis_teachers": [write_teachers(world, students, out, year)],
        "library_register": [write_register(world, out, year)],
        "library_loans": write_loans(world, patrons, out, year),
        "library_visits": [write_visits(world, out, year)],
        "clc_register": [write_clc_register(world, out, year)],
        "clc_activities": [write_clc_activities(world, out, year)],
        "khuyenhoc_ward_report": write_khuyenhoc(world, out, year),
        "literacy_survey": [write_literacy(world, students, out, year)],
    }
    return {source: files[source] for source in SOURCES}


def generate_increment(out: Path, day: date, scale: float = 0.01, seed: int = 42) -> dict[str, list[Path]]:
    """Write one more day of library loans and visits (a nightly delta) under ``out``.

    Only ``library_loans/loans_<day>.csv`` and ``library_visits/visits_<day>.csv`` are written; their
    library codes are those of the register that ``generate`` writes with the same seed and scale.
    """
    world = build_world(seed, scale)
    return write_increment(world, make_patrons(world), Path(out), day)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m ingestion.sample",
        description="Write a sample landing folder for Ho Chi Minh City (one subfolder per source).",
    )
    parser.add_argument("--out", type=Path, required=True, help="landing folder to write")
    parser.add_argument(
        "--scale", type=float, default=0.01, help="share of the city's real size (default 0.01)"
    )
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--year", type=int, default=2024, help="calendar year / first year of the school year"
    )
    parser.add_argument(
        "--increment-day",
        type=date.fromisoformat,
        help="write only one day (YYYY-MM-DD) of library loans and visits",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    if args.increment_day is not None:
        files = generate_increment(args.out, args.increment_day, args.scale, args.seed)
    else:
        files = generate(args.out, args.scale, args.seed, args.year)
    elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for source, paths in files.items():
        size = sum(p.stat().st_size for p in paths)
        print(f"{source:24s} {len(paths):3d} file(s) {size / 1e6:10.2f} MB")
    print(f"done in {elapsed:.1f} s, peak RSS {peak_mb:.0f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
