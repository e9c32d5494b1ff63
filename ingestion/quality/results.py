"""Great Expectations results → rows of audit.validation_results (one per expectation per run)."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from ..sources import CONTRACTS
from .checks import Check, sample_sql
from .policy import SAMPLE_ROWS


@dataclass
class CheckResult:
    """The outcome of one check in one validation run."""

    run_id: str
    source: str | None
    table_name: str
    suite: str
    expectation: str
    check_id: str
    kind: str
    column_name: str | None
    success: bool
    severity: str
    observed_value: str | None = None
    unexpected_count: int | None = None
    unexpected_percent: float | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return not self.success

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time | dt.timedelta):
        return str(value)
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def redact(value: Any) -> Any:
    """Keep the shape of a personal value, not the value: ``0790123`` → ``9999999``, dates → ``yyyy-**-**``."""
    if value is None:
        return None
    if isinstance(value, dt.date | dt.datetime):
        return f"{value.year:04d}-**-**"
    text = str(value)
    return re.sub(r"[^\W\d_]", "x", re.sub(r"\d", "9", text))


def fetch_samples(conn: sa.Connection, check: Check, relation: str, limit: int = SAMPLE_ROWS) -> list[dict]:
    """A few failing rows of a check (with _file_id, _sheet, _row_number), personal values redacted."""
    rows = conn.execute(sa.text(sample_sql(check, relation, limit).replace(":", r"\:"))).mappings().all()
    personal = set(CONTRACTS[check.source].personal_columns) if check.source in CONTRACTS else set()
    out = []
    for row in rows:
        out.append({k: (redact(v) if k in personal else _jsonable(v)) for k, v in row.items()})
    return out


def from_gx(run_id: str, check: Check, gx_result: Any) -> CheckResult:
    """Translate one ExpectationValidationResult (as a JSON dict) into a CheckResult."""
    data = gx_result.to_json_dict() if hasattr(gx_result, "to_json_dict") else dict(gx_result)
    result = data.get("result") or {}
    exc = data.get("exception_info") or {}
    details: dict[str, Any] = {
        "check_id": check.check_id,
        "kind": check.kind,
        "description": check.description.as_meta(),
    }
    observed: str | None
    unexpected: int | None = None
    percent: float | None = None
    if exc.get("raised_exception"):
        details["exception"] = str(exc.get("exception_message") or "")[:2000]
        observed = "error while evaluating the check"
    elif "unexpected_count" in result:
        unexpected = int(result.get("unexpected_count") or 0)
        percent = result.get("unexpected_percent")
        element_count = result.get("element_count")
        details["element_count"] = element_count
        details["missing_count"] = result.get("missing_count")
        observed = f"{unexpected} of {element_count} rows unexpected"
    else:
        value = result.get("observed_value")
        unexpected = int(value) if isinstance(value, int | float) else None
        observed = json.dumps(_jsonable(value), ensure_ascii=False) if value is not None else None
        if check.query and unexpected is not None:
            observed = f"{unexpected} rows returned"
    kwargs = {k: v for k, v in check.kwargs.items()}
    return CheckResult(
        run_id=run_id,
        source=check.source,
        table_name=check.table,
        suite=check.suite,
        expectation=check.expectation,
        check_id=check.check_id,
        kind=check.kind,
        column_name=check.column_name,
        success=bool(data.get("success")),
        severity=check.severity,
        observed_value=observed,
        unexpected_count=unexpected,
        unexpected_percent=float(percent) if percent is not None else None,
        kwargs=kwargs,
        details=details,
    )


def write(engine: sa.Engine, run_id: str, suites: list[str], results: list[CheckResult]) -> None:
    """Replace this run's rows of these suites in audit.validation_results (re-validation keeps the latest)."""
    with engine.begin() as conn:
        if suites:
            conn.execute(
                sa.text("delete from audit.validation_results where run_id = :r and suite = any(:s)"),
                {"r": run_id, "s": suites},
            )
        if not results:
            return
        conn.execute(
            sa.text(
                "insert into audit.validation_results (run_id, source, table_name, suite, expectation, column_name,"
                " success, observed_value, unexpected_count, unexpected_percent, severity, kwargs, details)"
                " values (:run_id, :source, :table_name, :suite, :expectation, :column_name, :success,"
                " :observed_value, :unexpected_count, :unexpected_percent, :severity,"
                " cast(:kwargs as jsonb), cast(:details as jsonb))"
            ),
            [
                {
                    **{
                        k: getattr(r, k)
                        for k in (
                            "run_id",
                            "source",
                            "table_name",
                            "suite",
                            "expectation",
                            "column_name",
                            "success",
                            "observed_value",
                            "unexpected_count",
                            "unexpected_percent",
                            "severity",
                        )
                    },
                    "kwargs": json.dumps(_jsonable(r.kwargs), ensure_ascii=False),
                    "details": json.dumps(_jsonable(r.details), ensure_ascii=False),
                }
                for r in results
            ],
        )
