"""validate_marts on marts.indicator_values: percentages within 0–100 (a warning only for the participation
rates whose population denominator comes from another source), numerator ≤ denominator, one row per grain,
and every ward of the city present for ward-level indicators."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from ingestion.quality import validate_marts
from ingestion.reference import HCMC_PROVINCE_CODE, PRE_2025, admin_units

from .factory import hcmc_wards

MART_DDL = """
create table marts.indicator_values (
    indicator_code text, admin_unit_code text, admin_level text, admin_structure text, period text,
    breakdown text, numerator numeric(20,2), denominator numeric(20,2), value numeric(14,2), unit text,
    target_value numeric(14,2), target_year integer, meets_target boolean, quality_flag text,
    source_files bigint[]
);
create schema if not exists reference;
create table reference.admin_units (structure text, unit_code text, admin_level text, province_code text);
create table reference.indicator_catalogue (indicator_code text, can_exceed_100 boolean);
insert into reference.indicator_catalogue values
    ('LIT_15_60', false), ('EDU_PTR', false), ('ECE_AGE5_PARTICIPATION', true);
"""


def _row(
    code: str,
    level: str,
    unit: str = "%",
    num: float = 95,
    den: float = 100,
    value: float = 95,
    indicator: str = "LIT_15_60",
) -> dict:
    return {
        "i": indicator,
        "u": code,
        "l": level,
        "s": PRE_2025,
        "p": "2024",
        "b": "",
        "n": num,
        "d": den,
        "v": value,
        "unit": unit,
    }


def _insert(engine: sa.Engine, rows: list[dict]) -> None:
    with engine.begin() as conn:
        conn.execute(sa.text("truncate marts.indicator_values"))
        conn.execute(
            sa.text(
                "insert into marts.indicator_values (indicator_code, admin_unit_code, admin_level, admin_structure,"
                " period, breakdown, numerator, denominator, value, unit, quality_flag)"
                " values (:i, :u, :l, :s, :p, :b, :n, :d, :v, :unit, 'ok')"
            ),
            rows,
        )


@pytest.fixture(scope="module")
def mart_db(make_database) -> sa.Engine:
    engine = make_database("marts")
    with engine.begin() as conn:
        conn.exec_driver_sql(MART_DDL)
        conn.execute(
            sa.text("insert into reference.admin_units values (:s, :c, :l, :p)"),
            [
                {"s": u.structure, "c": u.unit_code, "l": u.admin_level, "p": u.province_code}
                for u in admin_units()
                if u.province_code == HCMC_PROVINCE_CODE
            ],
        )
    return engine


def _good() -> list[dict]:
    rows = [
        _row(HCMC_PROVINCE_CODE, "province"),
        _row(HCMC_PROVINCE_CODE, "province", "ratio", 3000, 150, 20, "EDU_PTR"),
    ]
    rows += [_row(w, "ward") for w in hcmc_wards()]
    return rows


def test_good_marts_pass(mart_db, output_dir) -> None:
    _insert(mart_db, _good())
    summary = validate_marts("run-marts-good", engine=mart_db, output_dir=output_dir)
    assert len(summary.results) == 5
    assert not summary.error_failures and not summary.warning_failures, [
        (r.check_id, r.observed_value, r.details.get("exception")) for r in summary.results if not r.success
    ]


def test_each_mart_expectation_is_caught(mart_db, output_dir) -> None:
    wards = hcmc_wards()
    rows = _good()
    rows = [r for r in rows if r["u"] != wards[-1]]  # a ward missing
    rows.append(_row(wards[0], "ward", value=101, num=50))  # % above 100
    rows[2] = _row(wards[1], "ward", num=120, den=100, value=99)  # numerator > denominator
    rows.append(dict(rows[3]))  # a duplicated grain
    rows = [r for r in rows if not (r["u"] == wards[0] and r["v"] == 95)]
    _insert(mart_db, rows)
    summary = validate_marts("run-marts-bad", engine=mart_db, output_dir=output_dir)
    failed = {r.check_id: r for r in summary.results if not r.success}
    assert set(failed) == {
        "indicator_values.pct_range",
        "indicator_values.numerator_le_denominator",
        "indicator_values.mart_grain_unique",
        "indicator_values.ward_coverage",
    }
    assert failed["indicator_values.ward_coverage"].severity == "warning"
    coverage = failed["indicator_values.ward_coverage"].details["sample_rows"][0]
    assert coverage["missing_wards"] == 1 and coverage["first_missing_ward"] == wards[-1]
    assert failed["indicator_values.pct_range"].details["sample_rows"][0]["admin_unit_code"] == wards[0]
    with pytest.raises(Exception, match="error-level"):
        summary.raise_if_errors()


def test_participation_above_100_is_a_warning(mart_db, output_dir) -> None:
    """Pupils of a ward over the survey's children of that age: above 100% when the survey undercounts."""
    wards = hcmc_wards()
    rows = _good() + [
        _row(w, "ward", num=4, den=3, value=133.33, indicator="ECE_AGE5_PARTICIPATION") for w in wards[:1]
    ]
    rows += [_row(w, "ward", indicator="ECE_AGE5_PARTICIPATION") for w in wards[1:]]
    _insert(mart_db, rows)
    summary = validate_marts("run-marts-coverage", engine=mart_db, output_dir=output_dir)
    failed = {r.check_id: r for r in summary.results if not r.success}
    assert set(failed) == {"indicator_values.coverage_over_100"}
    assert failed["indicator_values.coverage_over_100"].severity == "warning"
    sample = failed["indicator_values.coverage_over_100"].details["sample_rows"][0]
    assert sample["admin_unit_code"] == wards[0] and sample["indicator_code"] == "ECE_AGE5_PARTICIPATION"
    summary.raise_if_errors()  # a warning never stops publication


def test_missing_marts_are_skipped(make_database, output_dir) -> None:
    engine = make_database("nomarts")
    summary = validate_marts("run-no-marts", engine=engine, output_dir=output_dir)
    assert not summary.results and "marts.indicator_values" in summary.skipped
