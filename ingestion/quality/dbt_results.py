"""dbt test results for the report: ``target/run_results.json`` + ``manifest.json`` and the failing rows
dbt stored (``store_failures``) in schema ``audit``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from ..config import settings


@dataclass
class DbtTest:
    name: str
    unique_id: str
    status: str
    failures: int | None
    message: str | None
    description: str
    model: str | None
    relation: str | None
    failing_rows: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DbtResults:
    generated_at: datetime | None
    invocation: str | None
    path: Path
    tests: list[DbtTest]


def _load(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def read(engine: sa.Engine, target_dir: Path | None = None, sample_rows: int = 5) -> DbtResults | None:
    """The tests of the last dbt invocation, or None when dbt has not run here."""
    target = target_dir or settings().dbt_project_dir / "target"
    run_results = _load(target / "run_results.json")
    if run_results is None:
        return None
    manifest = _load(target / "manifest.json") or {}
    nodes = manifest.get("nodes", {})
    tests: list[DbtTest] = []
    for res in run_results.get("results", []):
        uid = res.get("unique_id", "")
        if not uid.startswith(("test.", "unit_test.")):
            continue
        node = nodes.get(uid) or manifest.get("unit_tests", {}).get(uid) or {}
        depends = (node.get("depends_on") or {}).get("nodes") or []
        tests.append(
            DbtTest(
                name=node.get("name") or uid.split(".")[-1],
                unique_id=uid,
                status=str(res.get("status")),
                failures=res.get("failures"),
                message=res.get("message"),
                description=(node.get("description") or "").strip(),
                model=next((d.split(".")[-1] for d in depends if d.startswith(("model.", "seed."))), None),
                relation=node.get("relation_name"),
            )
        )
    order = {"error": 0, "fail": 1, "warn": 2, "runtime error": 0}
    tests.sort(key=lambda t: (order.get(t.status, 3), t.name))
    with engine.connect() as conn:
        for t in tests:
            if t.status in ("fail", "warn", "error") and t.relation:
                try:
                    rows = (
                        conn.execute(sa.text(f"select * from {t.relation} limit {sample_rows}"))
                        .mappings()
                        .all()
                    )
                    t.failing_rows = [
                        {k: (None if v is None else str(v)) for k, v in r.items()} for r in rows
                    ]
                except sa.exc.DBAPIError:
                    conn.rollback()
    meta = run_results.get("metadata", {})
    return DbtResults(
        generated_at=_parse_time(meta.get("generated_at")),
        invocation=" ".join(run_results.get("args", {}).get("invocation_command", "").split()[:6]) or None,
        path=target / "run_results.json",
        tests=tests,
    )
