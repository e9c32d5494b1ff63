"""The validation gate: validate the rows loaded in a run (and the marts), record every result.

``validate_batch(run_id)`` validates only the files that run loaded, with the committed checkpoints of
the raw suites; ``validate_marts(run_id)`` runs the mart suite after dbt. Both write one row per
expectation to audit.validation_results, log the step in audit.run_log, rebuild the Data Docs and copy
them to ``<output>/data_docs/``. The DAG calls ``.raise_if_errors()`` on the summary: an error-level
failure stops publication of the run; warnings never do.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..sources import CONTRACTS
from .checks import Check, _period_text, all_checks
from .policy import (
    BATCH_TABLE,
    MARTS_SUITE,
    MARTS_TABLE,
    VALIDATION_LOCK,
    gx_project_root,
    output_dir,
    raw_suite_name,
)
from .results import CheckResult, fetch_samples, from_gx, write
from .tables import ensure_tables, fill_ward_codes

log = logging.getLogger("ingestion.quality")


class QualityGateError(RuntimeError):
    """Error-level expectations failed: the run must not be published."""

    def __init__(self, summary: ValidationSummary) -> None:
        self.summary = summary
        lines = [
            f"{r.check_id} ({r.table_name}): {r.observed_value or 'failed'}"
            for r in summary.error_failures[:20]
        ]
        more = len(summary.error_failures) - len(lines)
        super().__init__(
            f"data-quality gate ({summary.stage}) failed for run {summary.run_id}: "
            f"{len(summary.error_failures)} error-level check(s) failed\n  "
            + "\n  ".join(lines)
            + (f"\n  … and {more} more" if more > 0 else "")
            + "\nSee audit.validation_results and the data-quality report."
        )


@dataclass
class ValidationSummary:
    """What one validation of a run found."""

    run_id: str
    stage: str
    results: list[CheckResult] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    data_docs_path: Path | None = None
    seconds: float = 0.0

    @property
    def error_failures(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success and r.severity == "error"]

    @property
    def warning_failures(self) -> list[CheckResult]:
        return [r for r in self.results if not r.success and r.severity == "warning"]

    @property
    def passed(self) -> bool:
        return not self.error_failures

    def raise_if_errors(self) -> None:
        if self.error_failures:
            raise QualityGateError(self)

    def to_dict(self) -> dict[str, Any]:
        return self.as_dict()

    def as_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "stage": self.stage,
            "checks": len(self.results),
            "error_failures": [r.check_id for r in self.error_failures],
            "warning_failures": [r.check_id for r in self.warning_failures],
            "skipped": self.skipped,
            "data_docs_path": str(self.data_docs_path) if self.data_docs_path else None,
            "seconds": round(self.seconds, 2),
        }


def _engine(engine: sa.Engine | None, url: str | None = None) -> sa.Engine:
    if engine is not None:
        return engine
    if url:
        return sa.create_engine(url, pool_pre_ping=True)
    from ..warehouse import engine as default_engine

    return default_engine()


@contextmanager
def _validation_lock(engine: sa.Engine) -> Iterator[None]:
    """One validation at a time: the batch table holds one batch."""
    with engine.connect() as conn:
        conn.execute(sa.text("select pg_advisory_lock(:k)"), {"k": VALIDATION_LOCK})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(sa.text("select pg_advisory_unlock(:k)"), {"k": VALIDATION_LOCK})
            conn.commit()


def run_files(engine: sa.Engine, run_id: str) -> dict[str, list[int]]:
    """Source -> ids of the files this run loaded with at least one row."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "select source, file_id from audit.load_manifest where run_id = :r and status = 'loaded'"
                " and rows_loaded > 0 order by file_id"
            ),
            {"r": run_id},
        ).all()
    files: dict[str, list[int]] = {}
    for source, file_id in rows:
        files.setdefault(source, []).append(int(file_id))
    return files


def _batch_periods(conn: sa.Connection, source: str, file_ids: list[int]) -> set[str]:
    contract = CONTRACTS[source]
    period = _period_text(contract)
    if period is None or not any(c.semantic == "ward_code" for c in contract.columns):
        return set()
    rows = conn.execute(
        sa.text(f"select distinct {period} from {contract.table} where _file_id = any(:f)"), {"f": file_ids}
    ).scalars()
    return {p for p in rows if p}


def _log_step(engine: sa.Engine, run_id: str, step: str, status: str, message: str, details: dict) -> None:
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into audit.run_log (run_id, step, status, finished_at, message, details)"
                " values (:r, :s, :st, now(), :m, cast(:d as jsonb))"
            ),
            {"r": run_id, "s": step, "st": status, "m": message, "d": json.dumps(details, default=str)},
        )


def publish_data_docs(output: Path | None = None) -> Path | None:
    """Copy the Data Docs site to ``<output>/data_docs/``; returns its index.html."""
    site = gx_project_root() / "gx" / "uncommitted" / "data_docs" / "local_site"
    if not (site / "index.html").exists():
        return None
    target = output_dir(output) / "data_docs"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(site, target)
    return target / "index.html"


def _run_checkpoint(engine: sa.Engine, run_id: str, suites: list[str]) -> list[CheckResult]:
    """Run one checkpoint over these suites (Data Docs built once); failing rows are sampled while the
    batch is still in place."""
    from great_expectations.core.run_identifier import RunIdentifier

    from .context import get_context
    from .suites import MARTS_CHECKPOINT, RUN_CHECKPOINT, asset_query, checkpoint

    checks_by_suite = all_checks()
    context = get_context(engine)
    started = time.monotonic()
    if suites == [MARTS_SUITE]:
        outcome = context.checkpoints.get(MARTS_CHECKPOINT).run(run_id=RunIdentifier(run_name=run_id))
    else:
        definitions = [context.validation_definitions.get(s) for s in suites]
        try:
            context.checkpoints.delete(RUN_CHECKPOINT)
        except Exception:  # noqa: BLE001 - not left over from an interrupted run
            pass
        run_checkpoint = context.checkpoints.add(checkpoint(RUN_CHECKPOINT, definitions))
        try:
            outcome = run_checkpoint.run(run_id=RunIdentifier(run_name=run_id))
        finally:
            context.checkpoints.delete(RUN_CHECKPOINT)
    log.info("checkpoint over %d suite(s) ran in %.1fs", len(suites), time.monotonic() - started)
    by_suite = {v.suite_name: v for v in outcome.run_results.values()}
    results: list[CheckResult] = []
    for suite in suites:
        checks: dict[str, Check] = {c.check_id: c for c in checks_by_suite[suite]}
        suite_results: list[CheckResult] = []
        validation = by_suite.get(suite)
        for item in validation.results if validation is not None else []:
            check = checks.pop((item.expectation_config.meta or {}).get("check_id", ""), None)
            if check is not None:
                suite_results.append(from_gx(run_id, check, item))
        for missing in checks.values():  # the committed suite is older than the contract
            suite_results.append(
                CheckResult(
                    run_id,
                    missing.source,
                    missing.table,
                    suite,
                    missing.expectation,
                    missing.check_id,
                    missing.kind,
                    missing.column_name,
                    False,
                    missing.severity,
                    "not in the committed suite",
                    details={"exception": "run `python -m ingestion quality suites`"},
                )
            )
        failed = [r for r in suite_results if not r.success and "exception" not in r.details]
        if failed:
            relation = asset_query(suite)
            by_id = {c.check_id: c for c in checks_by_suite[suite]}
            with engine.connect() as conn:
                for r in failed:
                    r.details["sample_rows"] = fetch_samples(conn, by_id[r.check_id], relation)
        results += suite_results
    return results


def validate_batch(
    run_id: str, engine: sa.Engine | None = None, output_dir: Path | None = None, url: str | None = None
) -> ValidationSummary:
    """Validate the rows the run loaded (files in audit.load_manifest with this run_id, status loaded).

    ``url`` (a SQLAlchemy URL) is an alternative to ``engine`` for callers that pass connection strings.
    """
    started = time.monotonic()
    engine = _engine(engine, url)
    ensure_tables(engine)
    files = run_files(engine, run_id)
    summary = ValidationSummary(run_id=run_id, stage="raw")
    summary.skipped = {s: "no rows loaded in this run" for s in CONTRACTS if s not in files}
    suites = [raw_suite_name(s) for s in CONTRACTS if s in files]
    if suites:
        with _validation_lock(engine):
            with engine.begin() as conn:
                conn.execute(sa.text(f"delete from {BATCH_TABLE}"))
                conn.execute(
                    sa.text(f"insert into {BATCH_TABLE} (source, file_id, run_id) values (:s, :f, :r)"),
                    [{"s": s, "f": f, "r": run_id} for s, ids in files.items() for f in ids],
                )
                periods = set().union(*(_batch_periods(conn, s, ids) for s, ids in files.items()))
                fill_ward_codes(conn, periods)
            try:
                summary.results = _run_checkpoint(engine, run_id, suites)
            finally:
                with engine.begin() as conn:
                    conn.execute(sa.text(f"delete from {BATCH_TABLE}"))
        summary.data_docs_path = publish_data_docs(output_dir)
    write(engine, run_id, suites, summary.results)
    summary.seconds = time.monotonic() - started
    _finish(engine, summary, "validate_batch")
    return summary


def validate_marts(
    run_id: str, engine: sa.Engine | None = None, output_dir: Path | None = None, url: str | None = None
) -> ValidationSummary:
    """Validate ``marts.indicator_values`` after dbt built it (percentages, ratios, ward coverage)."""
    started = time.monotonic()
    engine = _engine(engine, url)
    ensure_tables(engine)
    summary = ValidationSummary(run_id=run_id, stage="marts")
    with engine.connect() as conn:
        exists = conn.execute(sa.text("select to_regclass(:t) is not null"), {"t": MARTS_TABLE}).scalar()
    if not exists:
        summary.skipped = {MARTS_TABLE: "the table does not exist (dbt has not built the marts)"}
    else:
        with _validation_lock(engine):
            summary.results = _run_checkpoint(engine, run_id, [MARTS_SUITE])
        summary.data_docs_path = publish_data_docs(output_dir)
        write(engine, run_id, [MARTS_SUITE], summary.results)
    summary.seconds = time.monotonic() - started
    _finish(engine, summary, "validate_marts")
    return summary


def _finish(engine: sa.Engine, summary: ValidationSummary, step: str) -> None:
    if not summary.results:
        status = "skipped"
    else:
        status = "failed" if summary.error_failures else "success"
    message = (
        f"{len(summary.results)} checks, {len(summary.error_failures)} error and "
        f"{len(summary.warning_failures)} warning failures"
    )
    _log_step(engine, summary.run_id, step, status, message, summary.as_dict())
    log.info("%s %s: %s", step, status, message)
