"""The gate, with real components: a run whose raw batch has an error-level failure is not published.

The nightly DAG runs: load → validate_batch (raises on error failures) → dbt staging/intermediate/marts →
validate_marts (raises) → dbt reporting (publication) → exports → report (always) → finish. ``nightly``
below calls the same functions in the same order and stops at the first exception, as Airflow's default
trigger rule does for the downstream tasks. A good run publishes the reporting tables; a run with a bad
row then leaves them byte-for-byte unchanged, records the failure in audit.validation_results and the
run log, and still gets its report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from ingestion.config import REPO_ROOT
from ingestion.dbt_runner import run_dbt
from ingestion.quality import QualityGateError, build_report, validate_batch, validate_marts
from ingestion.sources import SOURCES

from .factory import load_rows, valid_rows

REPORTING_MODELS = sorted((REPO_ROOT / "dbt_project" / "models" / "reporting").glob("*.sql"))


def _dbt(url: str, target: Path, *args: str) -> None:
    run_dbt([*args, "--target-path", str(target), "--log-path", str(target / "logs")], url)


def nightly(engine: sa.Engine, run_id: str, target: Path, output: Path) -> list[str]:
    """The DAG's order of steps; returns the steps that ran (the report is written whatever happens)."""
    url = engine.url.render_as_string(hide_password=False)
    done: list[str] = []
    try:
        validate_batch(run_id, engine=engine, output_dir=output).raise_if_errors()
        done.append("validate_batch")
        _dbt(url, target, "seed")
        _dbt(url, target, "run", "--exclude", "path:models/reporting")
        done.append("dbt_models")
        validate_marts(run_id, engine=engine, output_dir=output).raise_if_errors()
        done.append("validate_marts")
        _dbt(url, target, "run", "--select", "path:models/reporting")
        done.append("dbt_reporting")
    finally:
        build_report(run_id, engine=engine, output_dir=output)
    return done


def _reporting_fingerprint(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as conn:
        tables = conn.execute(
            sa.text(
                "select table_name from information_schema.tables where table_schema = 'reporting' order by 1"
            )
        ).scalars()
        return {
            t: conn.execute(
                sa.text(
                    f"select count(*) || ':' || coalesce(md5(string_agg(r::text, '|' order by r::text)), '')"
                    f' from reporting."{t}" r'
                )
            ).scalar_one()
            for t in list(tables)
        }


def _good_run(engine: sa.Engine, run_id: str) -> None:
    for source in SOURCES:
        load_rows(engine, source, valid_rows(source, 20), run_id)


def _bad_run(engine: sa.Engine, run_id: str) -> None:
    """A new survey file for the same wards, with one ward's population below zero (an error-level check)."""
    rows = valid_rows("literacy_survey", 20)
    for row in rows:
        row["population"] = 5000
        row["literate_15_60"] = 9
    rows[3]["population"] = -1
    rows[3]["pop_15_plus"] = None
    load_rows(engine, "literacy_survey", rows, run_id, received_at=dt.datetime.now(dt.UTC))


def test_gate_raises_and_records(make_database, output_dir: Path) -> None:
    """Function level: the bad batch raises QualityGateError and audit tables say why."""
    engine = make_database("gatefn")
    _bad_run(engine, "run-bad")
    summary = validate_batch("run-bad", engine=engine, output_dir=output_dir)
    with pytest.raises(QualityGateError) as caught:
        summary.raise_if_errors()
    assert "literacy_survey.between.population" in str(caught.value)
    with engine.connect() as conn:
        row = conn.execute(
            sa.text(
                "select severity, unexpected_count, details->'sample_rows'->0->>'_row_number' from audit.validation_results"
                " where run_id = 'run-bad' and not success"
            )
        ).one()
        step = conn.execute(
            sa.text("select status from audit.run_log where run_id = 'run-bad' and step = 'validate_batch'")
        ).scalar_one()
    assert row == ("error", 1, "5") and step == "failed"


@pytest.mark.slow
@pytest.mark.skipif(not REPORTING_MODELS, reason="dbt_project/models/reporting has no models yet")
def test_failed_gate_leaves_reporting_unchanged(make_database, output_dir: Path, tmp_path: Path) -> None:
    engine = make_database("gatedbt")
    _good_run(engine, "run-good")
    assert nightly(engine, "run-good", tmp_path / "dbt", output_dir) == [
        "validate_batch",
        "dbt_models",
        "validate_marts",
        "dbt_reporting",
    ]
    published = _reporting_fingerprint(engine)
    assert published and all(not v.startswith("0:") for v in published.values()), published

    _bad_run(engine, "run-bad")
    with pytest.raises(QualityGateError):
        nightly(engine, "run-bad", tmp_path / "dbt", output_dir)
    assert _reporting_fingerprint(engine) == published
    with engine.connect() as conn:
        steps = dict(
            conn.execute(sa.text("select step, status from audit.run_log where run_id = 'run-bad'")).all()
        )
        failed = conn.execute(
            sa.text(
                "select count(*) from audit.validation_results where run_id = 'run-bad' and not success"
                " and severity = 'error'"
            )
        ).scalar_one()
    assert steps == {"validate_batch": "failed"} and failed == 1
    report = (output_dir / "quality" / "run_run-bad.html").read_text(encoding="utf-8")
    assert "literacy_survey.between.population" in report and "KHÔNG ĐẠT" in report
