"""The real `dbt build` on a real PostgreSQL, checked against values computed independently in Python.

The raw dataset of tests/dbt/dataset.py is loaded, dbt builds staging → marts → reporting with every
data and unit test, a late loan file is loaded and the incremental models run again, and
marts.indicator_values is compared, to two decimals, with a small reference implementation of the
catalogue's formulas written here in plain Python (pooled rates, population fallback, apportionment
through the 2025 crosswalk, distinct patrons counted once per unit, quality flags in their documented
order of precedence). A few key figures are also written out by hand.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from . import dataset as ds
from .conftest import DBT_PROJECT, TEST_HMAC_KEY, run_dbt

pytestmark = pytest.mark.slow

REFERENCE = DBT_PROJECT / "seeds" / "reference"
FLAG_ORDER = ("no_denominator", "failed_validation", "incomplete", "population_fallback", "apportioned")
FAILED_FILES = {13}  # the CLC activity file of the run whose validation failed


# --- reference data --------------------------------------------------------------------------------------
def _read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE / name).open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass
class Geography:
    """Wards of each unit and the crosswalk, read from the reference seeds."""

    wards: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    parents: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    crosswalk: dict[str, list[tuple[str, Decimal, bool]]] = field(default_factory=lambda: defaultdict(list))
    old_wards_of_new: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    new_province: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Geography:
        geo = cls()
        units = _read_csv("admin_units.csv")
        districts = {(u["structure"], u["unit_code"]) for u in units if u["admin_level"] == "district"}
        for u in units:
            if u["admin_level"] != "ward":
                continue
            structure, code = u["structure"], u["unit_code"]
            ups = [("ward", code)]
            if (structure, u["parent_code"]) in districts:
                ups.append(("district", u["parent_code"]))
            ups.append(("province", u["province_code"]))
            geo.parents[(structure, code)] = ups
            for level, unit in ups:
                geo.wards[(structure, f"{level}:{unit}")].add(code)
        for row in _read_csv("admin_crosswalk_2025.csv"):
            share = Decimal(row["population_share"])
            apportioned = int(row["split_count"]) > 1 or share < 1
            geo.crosswalk[row["old_ward_code"]].append((row["new_ward_code"], share, apportioned))
            geo.old_wards_of_new[row["new_ward_code"]].add(row["old_ward_code"])
            geo.new_province[row["new_ward_code"]] = row["new_province_code"]
        return geo

    def expected(self, structure: str, level: str, unit: str) -> int:
        return len(self.wards[(structure, f"{level}:{unit}")])


@dataclass
class Part:
    """A ward's numerator and denominator (None = missing) and what they rest on."""

    num: Decimal | None
    den: Decimal | None
    fallback: bool = False
    files: frozenset[int] = frozenset()

    @property
    def reported(self) -> bool:
        return self.num is not None and self.den is not None


@dataclass
class Expected:
    num: Decimal | None
    den: Decimal | None
    value: Decimal | None
    flag: str
    wards_reported: int
    wards_expected: int
    files: tuple[int, ...]


def _d(x: Any) -> Decimal | None:
    return None if x is None else Decimal(x)


def _value(num: Decimal | None, den: Decimal | None, multiplier: int | None) -> Decimal | None:
    if multiplier is None:
        raw = num
    elif den is None or den == 0 or num is None:
        raw = None
    else:
        raw = num * multiplier / den
    return None if raw is None else raw.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _flag(flags: set[str]) -> str:
    return next((f for f in FLAG_ORDER if f in flags), "ok")


def reference(
    geo: Geography,
    parts: dict[str, Part],
    multiplier: int | None,
    distinct: dict[tuple[str, str, str], int] | None = None,
) -> dict[tuple[str, str, str], Expected]:
    """Every level of both structures from ward parts of a pre-reform period: (structure, level, unit) -> Expected."""
    is_count = multiplier is None
    out: dict[tuple[str, str, str], Expected] = {}

    def result(structure: str, level: str, unit: str, rows: list[tuple[Part, bool, bool]]) -> None:
        # rows: (part, complete, apportioned) of the wards under the unit
        pooled = [
            (p, complete, app) for p, complete, app in rows if (p.num is not None if is_count else p.reported)
        ]
        if level == "ward":
            part = rows[0][0]
            num, den = part.num, part.den
        else:
            num = sum((p.num for p, _, _ in pooled), Decimal(0)) if pooled else None
            den = None if is_count else (sum((p.den for p, _, _ in pooled), Decimal(0)) if pooled else None)
            if distinct is not None and (structure, level, unit) in distinct:
                num = Decimal(distinct[(structure, level, unit)])
        reported = sum(1 for _, complete, _ in pooled if complete)
        expected = geo.expected(structure, level, unit)
        flags = set()
        if not is_count and (den is None or den == 0):
            flags.add("no_denominator")
        files = frozenset().union(*(p.files for p, _, _ in rows))
        if files & FAILED_FILES:
            flags.add("failed_validation")
        if reported < expected:
            flags.add("incomplete")
        if any(p.fallback for p, _, _ in pooled):
            flags.add("population_fallback")
        if any(app for _, _, app in pooled):
            flags.add("apportioned")
        out[(structure, level, unit)] = Expected(
            num, den, _value(num, den, multiplier), _flag(flags), reported, expected, tuple(sorted(files))
        )

    # pre-reform structure: wards, districts, province
    by_unit: dict[tuple[str, str], list[tuple[Part, bool, bool]]] = defaultdict(list)
    for ward, part in parts.items():
        for level, unit in geo.parents[("pre_2025", ward)]:
            by_unit[(level, unit)].append((part, part.reported or (is_count and part.num is not None), False))
    for (level, unit), rows in by_unit.items():
        result("pre_2025", level, unit, rows)

    # post-reform wards through the crosswalk, then their provinces
    new_parts: dict[str, list[tuple[str, Part, Decimal, bool]]] = defaultdict(list)
    for ward, part in parts.items():
        for new_ward, share, apportioned in geo.crosswalk[ward]:
            new_parts[new_ward].append((ward, part, share, apportioned))
    post_by_unit: dict[tuple[str, str], list[tuple[Part, bool, bool]]] = defaultdict(list)
    for new_ward, contributions in new_parts.items():
        ok = [(w, p, s, a) for w, p, s, a in contributions if (p.num is not None if is_count else p.reported)]
        num = sum((p.num * s for _, p, s, _ in ok), Decimal(0)) if ok else None
        den = None if is_count or not ok else sum((p.den * s for _, p, s, _ in ok), Decimal(0))
        complete = {w for w, _, _, _ in ok} == geo.old_wards_of_new[new_ward]
        part = Part(
            num,
            den,
            any(p.fallback for _, p, _, _ in ok),
            frozenset().union(*(p.files for _, p, _, _ in contributions)),
        )
        apportioned = any(a for _, _, _, a in ok)
        for level, unit in geo.parents[("post_2025", new_ward)]:
            post_by_unit[(level, unit)].append((part, complete, apportioned))
    for (level, unit), rows in post_by_unit.items():
        result("post_2025", level, unit, rows)
    return out


# --- the dataset, read as a city office would ---------------------------------------------------------------
def population_2024(ward: str, column: int) -> tuple[int, bool, int]:
    """(value, is_fallback, file) of a survey column for 2024: the 2024 survey, else the 2023 one."""
    if ward in ds.SURVEY_2024:
        return ds.SURVEY_2024[ward][column], False, 2
    return ds.SURVEY_2023[ward][column], True, 1


SURVEYED_2024 = sorted(set(ds.SURVEY_2024) | set(ds.SURVEY_2023))
POP, POP5, POP15 = 0, 1, 3


def kh_2024() -> dict[str, tuple[tuple[int, ...], int]]:
    rows = {ward: (values, 3) for ward, values in ds.KH_2024.items()}
    rows["27664"] = (ds.KH_2024_CORRECTED_27664, 4)  # the corrected file was loaded last
    rows.update({ward: (values, 5) for ward, values in ds.KH_2024_NHA_BE.items()})
    return rows


def kh_parts(numerator: str, denominator: str) -> dict[str, Part]:
    i, j = ds.KH_COLUMNS.index(numerator), ds.KH_COLUMNS.index(denominator)
    return {w: Part(_d(v[i]), _d(v[j]), files=frozenset({f})) for w, (v, f) in kh_2024().items()}


def latest_loans() -> dict[str, tuple[str, ...]]:
    loans: dict[str, tuple[str, ...]] = {}
    for loan in (*ds.LOANS_FILE_1, *ds.LOANS_FILE_2):  # file order = load order: later versions win
        loans[loan[0]] = loan
    return loans


LIBRARY_WARD = {code: ward for code, ward, _ in ds.LIBRARIES}
CENTRE_WARD = {code: ward for code, ward, _ in ds.CENTRES}


# --- fixtures ---------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def built(dbt_database: str, dbt_project_dir: Path) -> sa.Engine:
    engine = sa.create_engine(dbt_database)
    ds.load(engine, ds.files())
    ds.load_validation_failure(engine)
    run_dbt(["build"], dbt_database, dbt_project_dir)
    ds.load(engine, [ds.late_loan_file()])
    run_dbt(["run", "--select", "stg_library__loans+"], dbt_database, dbt_project_dir)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def values(built: sa.Engine) -> dict[tuple[str, str, str, str, str, str], dict[str, Any]]:
    with built.connect() as conn:
        rows = conn.execute(sa.text("select * from marts.indicator_values")).mappings().all()
    return {
        (
            r["indicator_code"],
            r["period"],
            r["breakdown"],
            r["admin_structure"],
            r["admin_level"],
            r["admin_unit_code"],
        ): dict(r)
        for r in rows
    }


@pytest.fixture(scope="module")
def geo() -> Geography:
    return Geography.load()


def check(
    values: dict,
    code: str,
    period: str,
    expected: dict[tuple[str, str, str], Expected],
    breakdown: str = "",
    files: bool = False,
) -> None:
    problems = []
    for (structure, level, unit), exp in sorted(expected.items()):
        row = values.get((code, period, breakdown, structure, level, unit))
        if row is None:
            problems.append(f"{code} {structure} {level} {unit}: missing")
            continue
        got = (
            row["numerator"],
            row["denominator"],
            row["value"],
            row["quality_flag"],
            row["wards_reported"],
            row["wards_expected"],
        )
        want = (
            None if exp.num is None else exp.num.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            None if exp.den is None else exp.den.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            exp.value,
            exp.flag,
            exp.wards_reported,
            exp.wards_expected,
        )
        if got != want:
            problems.append(f"{code} {breakdown!r} {structure} {level} {unit}: got {got}, want {want}")
        if files and tuple(row["source_files"]) != exp.files:
            problems.append(
                f"{code} {structure} {level} {unit}: source_files {row['source_files']} != {exp.files}"
            )
    assert not problems, "\n".join(problems)


# --- the tests --------------------------------------------------------------------------------------------------
def test_learning_families_pooled_at_every_level(values, geo):
    expected = reference(geo, kh_parts("households_learning", "households_total"), 100)
    check(values, "LM_FAMILY", "2024", expected, files=True)
    district = values[("LM_FAMILY", "2024", "", "pre_2025", "district", "787")]
    # pooled 15300 / 19500, not the mean of the seven wards' percentages (79.29)
    assert district["value"] == Decimal("78.46")
    assert district["quality_flag"] == "ok"
    ward = values[("LM_FAMILY", "2024", "", "pre_2025", "ward", "27664")]
    assert (ward["numerator"], ward["value"], list(ward["source_files"])) == (
        Decimal("2400.00"),
        Decimal("80.00"),
        [4],
    )


def test_incomplete_district_and_province(values, geo):
    nha_be = values[("LM_FAMILY", "2024", "", "pre_2025", "district", "786")]
    assert nha_be["quality_flag"] == "incomplete"
    assert nha_be["wards_reported"] == 1 and nha_be["wards_expected"] == geo.expected(
        "pre_2025", "district", "786"
    )
    city = values[("LM_FAMILY", "2024", "", "pre_2025", "province", "79")]
    assert city["quality_flag"] == "incomplete"
    assert city["value"] == Decimal("78.25")  # 22300 / 28500
    assert city["target_value"] == Decimal("80.00") and city["meets_target"] is False


def test_zero_denominator_is_null_and_flagged(values, geo):
    expected = reference(geo, kh_parts("clans_learning", "clans_total"), 100)
    check(values, "LM_CLAN", "2024", expected)
    thanh_an = values[("LM_CLAN", "2024", "", "pre_2025", "ward", "27676")]
    assert thanh_an["value"] is None and thanh_an["quality_flag"] == "no_denominator"
    assert values[("LM_CLAN", "2024", "", "pre_2025", "district", "787")]["value"] == Decimal(
        "78.69"
    )  # 48 / 61


def test_apportioned_post_reform_values(values, geo):
    binh_khanh = values[("LM_FAMILY", "2024", "", "post_2025", "ward", "27667")]
    share = dict((new, s) for new, s, _ in geo.crosswalk["27673"])["27667"]
    num = Decimal(4500) + Decimal(2000) + Decimal(1500) * share
    den = Decimal(6000) + Decimal(2500) + Decimal(1800) * share
    assert binh_khanh["value"] == (num * 100 / den).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert binh_khanh["quality_flag"] == "apportioned"
    assert not any(key[3] == "post_2025" and key[4] == "district" for key in values)


def test_study_fund_with_population_fallback(values, geo):
    parts = {}
    for ward, (row, f) in kh_2024().items():
        pop, fallback, pop_file = population_2024(ward, POP)
        parts[ward] = Part(
            _d(row[ds.KH_COLUMNS.index("fund_vnd")]), _d(pop), fallback, frozenset({f, pop_file})
        )
    check(values, "KH_FUND_PER_CAPITA", "2024", reference(geo, parts, 1), files=True)
    assert (
        values[("KH_FUND_PER_CAPITA", "2024", "", "pre_2025", "district", "787")]["quality_flag"]
        == "population_fallback"
    )
    scholarships = {
        w: Part(_d(v[ds.KH_COLUMNS.index("scholarships")]), None, files=frozenset({f}))
        for w, (v, f) in kh_2024().items()
    }
    check(values, "KH_SCHOLARSHIPS", "2024", reference(geo, scholarships, None))


def test_literacy_with_a_missing_survey_row(values, geo):
    i, j = ds.SURVEY_COLUMNS.index("literate_15_60"), ds.SURVEY_COLUMNS.index("pop_15_60")
    parts = {w: Part(_d(v[i]), _d(v[j]), files=frozenset({2})) for w, v in ds.SURVEY_2024.items()}
    check(values, "LIT_15_60", "2024", reference(geo, parts, 100))
    assert values[("LIT_15_60", "2024", "", "pre_2025", "district", "787")]["quality_flag"] == "incomplete"


def _students() -> list[dict[str, Any]]:
    school_ward = {code: ward for code, _, _, ward, _, _ in ds.SCHOOLS}
    level = {
        **{g: "Tiểu học" for g in "12345"},
        **{g: "THCS" for g in "6789"},
        **{g: "THPT" for g in ("10", "11", "12")},
    }
    return [
        {
            "school_ward": school_ward[school],
            "level": "Mầm non" if grade.startswith(("Mẫu giáo", "Nhà trẻ")) else level[grade],
            "grade": grade,
            "age": 2024 - birth_year,
            "status": status,
            "residence": residence,
        }
        for _, school, grade, birth_year, status, residence in ds.STUDENTS
    ]


def test_pupil_teacher_ratio_and_dropout_by_level(values, geo):
    school = {code: (level, ward) for code, level, _, ward, _, _ in ds.SCHOOLS}
    students = _students()
    for breakdown in ("", "Mầm non", "Tiểu học", "THCS"):
        pupils: dict[str, int] = defaultdict(int)
        teachers: dict[str, int] = defaultdict(int)
        for s in students:
            if s["status"] == "Đang học" and breakdown in ("", s["level"]):
                pupils[s["school_ward"]] += 1
        for _, code, _ in ds.TEACHERS:
            level, ward = school[code]
            if breakdown in ("", level):
                teachers[ward] += 1
        wards = set(pupils) | set(teachers)
        parts = {w: Part(Decimal(pupils[w]), Decimal(teachers[w]), files=frozenset({6, 7, 8})) for w in wards}
        check(values, "EDU_PTR", "2024-2025", reference(geo, parts, 1), breakdown=breakdown)

        dropouts: dict[str, int] = defaultdict(int)
        on_roll: dict[str, int] = defaultdict(int)
        for s in students:
            if s["status"] != "Chuyển đi" and breakdown in ("", s["level"]):
                on_roll[s["school_ward"]] += 1
                dropouts[s["school_ward"]] += s["status"] == "Bỏ học"
        parts = {w: Part(Decimal(dropouts[w]), Decimal(on_roll[w])) for w in on_roll}
        check(values, "EDU_DROPOUT", "2024-2025", reference(geo, parts, 100), breakdown=breakdown)
    assert values[("EDU_PTR", "2024-2025", "Tiểu học", "pre_2025", "ward", "27664")]["value"] == Decimal(
        "1.67"
    )  # 5 / 3
    assert values[("EDU_DROPOUT", "2024-2025", "", "pre_2025", "district", "787")]["value"] == Decimal(
        "18.75"
    )  # 3 / 16


def test_participation_at_age_5_by_residence_ward(values, geo):
    pupils: dict[str, int] = defaultdict(int)
    for s in _students():
        if s["status"] == "Đang học" and s["age"] == 5 and s["level"] in ("Mầm non", "Tiểu học"):
            pupils[s["residence"]] += 1
    parts = {}
    for ward in SURVEYED_2024:
        pop, fallback, _ = population_2024(ward, POP5)
        parts[ward] = Part(Decimal(pupils[ward]), Decimal(pop), fallback)
    check(values, "ECE_AGE5_PARTICIPATION", "2024-2025", reference(geo, parts, 100))
    assert values[("ECE_AGE5_PARTICIPATION", "2024-2025", "", "pre_2025", "ward", "27670")][
        "value"
    ] == Decimal("0.83")  # 1 / 120


def test_library_indicators_after_the_late_file(values, geo):
    loans_2024 = [loan for loan in latest_loans().values() if loan[3].startswith("2024")]
    patrons: dict[str, set[str]] = defaultdict(set)
    electronic: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for _, library, card, _, channel in loans_2024:
        ward = LIBRARY_WARD[library]
        patrons[ward].add(card)
        count[ward] += 1
        electronic[ward] += channel == "Điện tử"
    all_cards = {card for _, _, card, _, _ in loans_2024}
    can_gio_cards = {card for _, library, card, _, _ in loans_2024 if LIBRARY_WARD[library] in ds.CAN_GIO}
    distinct = {
        ("pre_2025", "district", "787"): len(can_gio_cards),
        ("pre_2025", "district", "786"): len(patrons["27643"]),
        ("pre_2025", "province", "79"): len(all_cards),
        ("post_2025", "province", "79"): len(all_cards),
    }
    parts = {}
    for ward in SURVEYED_2024:
        pop, fallback, _ = population_2024(ward, POP)
        parts[ward] = Part(Decimal(len(patrons[ward])), Decimal(pop), fallback)
    expected = reference(geo, parts, 1000, distinct)
    check(values, "LIB_ACTIVE_PATRONS", "2024", expected)
    # 4 distinct patrons in Cần Giờ, although the wards count 2 + 3
    assert values[("LIB_ACTIVE_PATRONS", "2024", "", "pre_2025", "district", "787")]["numerator"] == Decimal(
        "4.00"
    )
    ebook = {w: Part(Decimal(electronic[w]), Decimal(count[w])) for w in count}
    check(values, "LIB_EBOOK_SHARE", "2024", reference(geo, ebook, 100))
    # LN5 was corrected to an e-book loan by the late file: 1 of the 3 loans of An Thới Đông
    assert values[("LIB_EBOOK_SHARE", "2024", "", "pre_2025", "ward", "27673")]["value"] == Decimal("33.33")
    # LN9 moved from P5 at L3 (district 786) to P2 at L1: the incremental run took P5 away from 786
    assert values[("LIB_ACTIVE_PATRONS", "2024", "", "pre_2025", "district", "786")]["numerator"] == Decimal(
        "1.00"
    )


def test_clc_participation_flags_the_failed_validation(values, geo):
    participants: dict[str, int] = defaultdict(int)
    for _, centre, start, _, n in ds.ACTIVITIES:
        if start.startswith("2024"):
            participants[CENTRE_WARD[centre]] += n
    parts = {}
    for ward in SURVEYED_2024:
        pop, fallback, _ = population_2024(ward, POP15)
        files = frozenset({13}) if participants[ward] else frozenset()
        parts[ward] = Part(Decimal(participants[ward]), Decimal(pop), fallback, files)
    check(values, "CLC_PARTICIPATION", "2024", reference(geo, parts, 1000))
    assert (
        values[("CLC_PARTICIPATION", "2024", "", "pre_2025", "district", "787")]["quality_flag"]
        == "failed_validation"
    )


def test_incremental_run_replaced_the_corrected_loan(built):
    with built.connect() as conn:
        rows = conn.execute(
            sa.text("select loan_id, channel from marts.fct_library_loans order by loan_id")
        ).all()
    assert [r.loan_id for r in rows] == ["LN1", "LN2", "LN3", "LN4", "LN5", "LN6", "LN7", "LN8", "LN9"]
    assert dict(rows)["LN5"] == "Điện tử"


def test_no_personal_data_outside_raw(built):
    personal = {"student_id", "teacher_id", "patron_id", "full_name", "birth_date"}
    with built.connect() as conn:
        columns = conn.execute(
            sa.text(
                "select table_schema, table_name, column_name from information_schema.columns"
                " where table_schema in ('staging', 'intermediate', 'marts', 'reporting')"
            )
        ).all()
        keys = (
            conn.execute(sa.text("select distinct patron_key from marts.fct_library_loans")).scalars().all()
        )
        expected_key = conn.execute(
            sa.text("select encode(hmac('P1', :k, 'sha256'), 'hex')"), {"k": TEST_HMAC_KEY}
        ).scalar()
    assert not [c for c in columns if c.column_name in personal]
    assert "P1" not in keys and expected_key in keys


def test_hmac_key_is_not_readable_in_the_warehouse(built):
    """Every role can read the definitions of views and functions: the key must be in none of them."""
    with built.connect() as conn:
        conn.execute(sa.text("set role analyst"))
        views = conn.execute(
            sa.text("select schemaname || '.' || viewname from pg_views where definition like :k"),
            {"k": f"%{TEST_HMAC_KEY}%"},
        ).all()
        functions = conn.execute(
            sa.text("select proname from pg_proc where prosrc like :k"), {"k": f"%{TEST_HMAC_KEY}%"}
        ).all()
        conn.execute(sa.text("reset role"))
    assert views == [] and functions == []


def test_every_catalogue_indicator_has_values(built):
    with built.connect() as conn:
        missing = (
            conn.execute(
                sa.text(
                    "select indicator_code from reference.indicator_catalogue"
                    " except select indicator_code from marts.indicator_values"
                )
            )
            .scalars()
            .all()
        )
    assert missing == []


def test_reports_export(built, tmp_path):
    from openpyxl import load_workbook

    from ingestion.export import export_reports

    result = export_reports(built, tmp_path, "test-run")
    assert result["workbook"].name == "learning_city_report_test-run.xlsx"
    wb = load_workbook(result["latest"])
    assert {
        "GNLC city profile",
        "KFLC statistics",
        "SDG 4 profile",
        "Learning society",
        "Indicators",
        "Notes",
    } <= set(wb.sheetnames)
    sheet = wb["Learning society"]
    headers_vi = [c.value for c in sheet[1]]
    headers_en = [c.value for c in sheet[2]]
    assert "Tỷ lệ (%)" in headers_vi and "Rate (%)" in headers_en
    # counts from 1 to 4 (e.g. Lý Nhơn's 4 learning clans) are blank in the published files, with their rate
    with result["csv"]["rpt_learning_society_progress"].open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    small = [r for r in rows if r["suppressed"] == "True"]
    assert small, "the dataset has learning-model counts below 5"
    for r in small:
        for column in ("recognised_count", "total_count"):
            assert r[column] == "" or Decimal(r[column]) >= 5 or Decimal(r[column]) == 0
        assert r["rate"] == ""
