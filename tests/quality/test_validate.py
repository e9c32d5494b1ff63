"""validate_batch on a real PostgreSQL with the committed Great Expectations checkpoints.

* ``one_break_run``: every source gets valid rows plus ONE bad row that breaks exactly one expectation;
  the test per source shows that this expectation, and only it, failed, and points at the bad row.
* ``every_check_run``: for every expectation of every suite a bad row (or bad file) that breaks it;
  the test per source shows that every expectation of the suite can fail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from ingestion.quality import QualityGateError, ValidationSummary, validate_batch
from ingestion.quality.checks import all_checks, raw_checks
from ingestion.quality.policy import raw_suite_name
from ingestion.sources import CONTRACTS, SOURCES

from .breakers import FILE_LEVEL, bad_row
from .factory import hcmc_wards, load_rows, valid_rows
from .scenarios import ONE_BREAK, N


def test_one_break_fixtures_cover_every_suite() -> None:
    assert set(ONE_BREAK) == set(SOURCES)


@pytest.mark.parametrize("source", SOURCES)
def test_one_broken_expectation_is_caught(one_break, source: str) -> None:
    engine, summary = one_break
    suite = raw_suite_name(source)
    results = [r for r in summary.results if r.suite == suite]
    assert {r.check_id for r in results} == {c.check_id for c in raw_checks(CONTRACTS[source])}
    failed = [r for r in results if not r.success]
    assert [r.check_id for r in failed] == [ONE_BREAK[source]], [
        (r.check_id, r.observed_value) for r in failed
    ]
    bad = failed[0]
    assert bad.unexpected_count and bad.unexpected_count >= 1
    sample = bad.details["sample_rows"]
    assert sample and {"_file_id", "_sheet", "_row_number"} <= set(sample[0])
    # the appended bad row is data row N+1 of the file (row N+2 with the header)
    assert N + 2 in {r["_row_number"] for r in sample}
    with engine.connect() as conn:
        stored = conn.execute(
            sa.text(
                "select count(*), count(*) filter (where not success), min(severity) filter (where not success)"
                " from audit.validation_results where run_id = 'run-one-break' and suite = :s"
            ),
            {"s": suite},
        ).one()
    assert stored[0] == len(results) and stored[1] == 1 and stored[2] == bad.severity


def test_gate_of_the_one_break_run(one_break) -> None:
    _, summary = one_break
    assert {r.check_id for r in summary.error_failures} == set(ONE_BREAK.values())
    with pytest.raises(QualityGateError, match="error-level"):
        summary.raise_if_errors()
    assert summary.data_docs_path is not None and summary.data_docs_path.exists()


def test_personal_values_are_masked(one_break) -> None:
    _, summary = one_break
    bad = next(r for r in summary.results if r.check_id == "emis_students.regex.student_id")
    assert bad.details["sample_rows"][0]["student_id"] == "99999999999x"


# -- every expectation of every suite ------------------------------------------------------------------


def _file_level_run(engine: sa.Engine, source: str, rows: list[dict[str, Any]]) -> None:
    """Load the previous file (drift: 6x the rows) and the current one, both received too long ago."""
    contract = CONTRACTS[source]
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=contract.freshness_days + 10)
    checks = {c.kind for c in raw_checks(contract)}
    if "row_count_drift" in checks:
        load_rows(engine, source, valid_rows(source, 6 * N), "run-previous", received_at=old)
    load_rows(engine, source, rows, "run-every-check", received_at=old)


@pytest.fixture(scope="module")
def every_check(make_database, output_dir) -> ValidationSummary:
    engine = make_database("everycheck")
    wards = hcmc_wards()
    for source in SOURCES:
        contract = CONTRACTS[source]
        stale_day = dt.date.today() - dt.timedelta(days=contract.freshness_days + 10)
        rows = valid_rows(source, N, wards, today=stale_day)
        for check in raw_checks(contract):
            if check.kind not in FILE_LEVEL:
                rows.append(bad_row(check, rows, len(rows), stale_day))
        _file_level_run(engine, source, rows)
    return validate_batch("run-every-check", engine=engine, output_dir=output_dir)


@pytest.mark.parametrize("source", SOURCES)
def test_every_expectation_can_fail(every_check, source: str) -> None:
    results = {r.check_id: r for r in every_check.results if r.source == source}
    expected = {c.check_id for c in raw_checks(CONTRACTS[source])}
    assert set(results) == expected
    passed = sorted(k for k, r in results.items() if r.success)
    assert not passed, f"not caught: {passed}"
    assert not [r.details.get("exception") for r in results.values() if r.details.get("exception")]


def test_warnings_do_not_block(every_check) -> None:
    kinds = {r.kind for r in every_check.warning_failures}
    assert kinds == {"row_count_drift", "freshness"}
    drift = next(r for r in every_check.warning_failures if r.check_id == "emis_students.row_count_drift")
    row = drift.details["sample_rows"][0]
    assert row["previous_rows_loaded"] == 6 * N and float(row["change_percent"]) < -5


def test_sources_without_rows_are_skipped(make_database, output_dir) -> None:
    engine = make_database("skip")
    load_rows(engine, "emis_schools", valid_rows("emis_schools", N), "run-partial")
    load_rows(engine, "emis_teachers", valid_rows("emis_teachers", N), "run-partial")
    summary = validate_batch("run-partial", engine=engine, output_dir=output_dir)
    assert {r.suite for r in summary.results} == {"raw_emis_schools", "raw_emis_teachers"}
    assert set(summary.skipped) == set(SOURCES) - {"emis_schools", "emis_teachers"}
    assert summary.passed and not summary.warning_failures
    summary.raise_if_errors()
    empty = validate_batch("run-nothing", engine=engine, output_dir=output_dir)
    assert not empty.results and set(empty.skipped) == set(SOURCES)
    with engine.connect() as conn:
        steps = dict(
            conn.execute(
                sa.text("select run_id, status from audit.run_log where step = 'validate_batch'")
            ).all()
        )
    assert steps == {"run-partial": "success", "run-nothing": "skipped"}


def test_every_suite_is_generated_from_a_contract() -> None:
    suites = all_checks()
    assert set(suites) == {raw_suite_name(s) for s in SOURCES} | {"marts_indicator_values"}
    for source, contract in CONTRACTS.items():
        kinds = [c.kind for c in suites[raw_suite_name(source)]]
        assert kinds.count("not_null") == len(contract.required_columns)
        assert ("compound_unique" if len(contract.key) > 1 else "unique") in kinds
        assert kinds.count("reference") == len(contract.references)
        assert "freshness" in kinds
        for check in suites[raw_suite_name(source)]:
            assert check.severity in ("error", "warning")
            for text in (check.description.vi, check.description.en):
                assert text.what and text.when and text.how
