"""The nightly dbt selection: every raw table maps to a dbt source of the project, so that a night that
received its files builds what is downstream of it."""

from __future__ import annotations

import yaml

from ingestion.config import REPO_ROOT
from ingestion.pipeline import _source_selector, project_fingerprint
from ingestion.sources import SOURCES


def _dbt_sources() -> set[str]:
    declared: set[str] = set()
    for path in (REPO_ROOT / "dbt_project" / "models" / "staging").rglob("_*__sources.yml"):
        for source in yaml.safe_load(path.read_text(encoding="utf-8")).get("sources", []):
            for table in source.get("tables", []):
                declared.add(f"source:{source['name']}.{table['name']}+")
    return declared


def test_every_source_selector_names_a_dbt_source() -> None:
    declared = _dbt_sources()
    assert {_source_selector(s) for s in SOURCES} <= declared


def test_project_fingerprint_is_stable_and_sees_a_change(tmp_path, monkeypatch) -> None:
    import shutil

    from ingestion import config

    project = tmp_path / "dbt_project"
    shutil.copytree(REPO_ROOT / "dbt_project", project, ignore=shutil.ignore_patterns("target", "logs"))
    real = config.settings()
    monkeypatch.setattr(
        "ingestion.pipeline.settings", lambda: type(real)(**{**real.__dict__, "dbt_project_dir": project})
    )
    first = project_fingerprint()
    assert project_fingerprint() == first
    (project / "target").mkdir(exist_ok=True)
    (project / "target" / "manifest.json").write_text("{}")  # build artefacts do not count
    assert project_fingerprint() == first
    model = project / "models" / "marts" / "indicators" / "indicator_values.sql"
    model.write_text(model.read_text() + "\n-- a new release\n")
    assert project_fingerprint() != first
