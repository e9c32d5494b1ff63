"""The committed suites are generated from the contracts and are up to date; docs/data-quality.md too."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa

from ingestion.config import REPO_ROOT
from ingestion.quality.checks import all_checks
from ingestion.quality.docs import DOCS_PATH, render
from ingestion.quality.suites import generate

COMMITTED = REPO_ROOT / "expectations" / "gx"


def _suite_files(root: Path) -> dict[str, list[dict]]:
    out = {}
    for path in sorted((root / "expectations").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        out[path.stem] = [{k: v for k, v in e.items() if k != "id"} for e in data["expectations"]]
    return out


def test_committed_suites_are_up_to_date(gx_root: Path, make_database) -> None:
    """Regenerating from the contracts changes nothing: run `python -m ingestion quality suites` if it fails."""
    engine: sa.Engine = make_database("suites")
    before = {
        p.relative_to(gx_root): p.read_bytes()
        for p in (gx_root / "gx").rglob("*.*")
        if "uncommitted" not in p.parts
    }
    sizes = generate(engine)
    after = {
        p.relative_to(gx_root): p.read_bytes()
        for p in (gx_root / "gx").rglob("*.*")
        if "uncommitted" not in p.parts
    }
    assert after == before, (
        "the committed suites differ from the contracts: run `python -m ingestion quality suites`"
    )
    assert sizes == {name: len(checks) for name, checks in all_checks().items()}
    assert _suite_files(COMMITTED) == _suite_files(gx_root / "gx")
    for expectations in _suite_files(COMMITTED).values():
        for exp in expectations:
            meta = exp["meta"]
            assert meta["severity"] in ("error", "warning") and exp["severity"] in ("critical", "warning")
            assert set(meta["description"]) == {"vi", "en"}
    assert "gx/uncommitted/" in (REPO_ROOT / "expectations" / ".gitignore").read_text()


def test_docs_are_up_to_date() -> None:
    """docs/data-quality.md is generated: run `python -m ingestion quality docs` if it fails."""
    assert DOCS_PATH.read_text(encoding="utf-8") == render()
