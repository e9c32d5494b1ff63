"""End to end: the nightly DAG runs with `airflow dags test` on a generated landing folder, against a
fresh database; then SQL assertions on the marts, the reporting tables and the audit trail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa

from ingestion.envvars import project_env
from ingestion.sources import SOURCES

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "tests" / "artifacts"


def run_dag(
    url: str, landing: Path, output: Path, full_refresh: bool = False
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **project_env(url), "LCP_OUTPUT_DIR": str(output)}
    conf = json.dumps({"landing_dir": str(landing), "full_refresh": full_refresh})
    airflow = str(Path(sys.executable).with_name("airflow"))
    return subprocess.run(
        [airflow, "dags", "test", "learning_city_nightly", "-c", conf],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=1200,
    )


def _indicator_snapshot(conn) -> list[tuple]:
    return conn.execute(
        sa.text(
            "select indicator_code, admin_unit_code, admin_structure, period, breakdown, value "
            "from marts.indicator_values order by 1, 2, 3, 4, 5"
        )
    ).all()


@pytest.fixture(scope="module")
def first_run(warehouse_url, tmp_path_factory):
    from ingestion.sample import generate

    landing = tmp_path_factory.mktemp("landing")
    output = tmp_path_factory.mktemp("output")
    generate(landing, scale=0.002, seed=7)
    proc = run_dag(warehouse_url, landing, output)
    log = tmp_path_factory.mktemp("logs") / "dags_test.log"
    log.write_text(proc.stdout + proc.stderr)
    return {"proc": proc, "landing": landing, "output": output, "url": warehouse_url, "log": log}


def test_dag_run_succeeds(first_run, engine):
    proc = first_run["proc"]
    assert proc.returncode == 0, f"airflow dags test failed, log: {first_run['log']}\n{proc.stdout[-4000:]}"
    with engine.connect() as conn:
        status = conn.execute(
            sa.text("select status from audit.run_log where step = 'finish' order by log_id desc limit 1")
        ).scalar()
    assert status == "success", f"see {first_run['log']}"


def test_every_source_loaded_with_conservation(first_run, engine):
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text("select source, status, rows_in, rows_loaded, rows_quarantined from audit.load_manifest")
        ).all()
    loaded_sources = {r.source for r in rows if r.status == "loaded"}
    assert loaded_sources == set(SOURCES)
    for r in rows:
        if r.status == "loaded":
            assert r.rows_in == r.rows_loaded + r.rows_quarantined, r
            assert r.rows_loaded > 0, r


def test_bad_rows_are_quarantined_with_structured_errors(first_run, engine):
    with engine.connect() as conn:
        q = conn.execute(
            sa.text(
                "select m.source, q.row_number, q.errors from audit.quarantine q "
                "join audit.load_manifest m using (file_id)"
            )
        ).all()
    assert q, "the sample's deliberate bad rows should be in quarantine"
    for r in q:
        assert r.row_number > 0
        assert isinstance(r.errors, list) and r.errors
        for err in r.errors:
            assert {"column", "rule", "message"} <= set(err), err
    assert len({r.source for r in q}) >= 5


def test_indicator_values_at_every_level(first_run, engine):
    with engine.connect() as conn:
        levels = dict(
            conn.execute(
                sa.text(
                    "select admin_level, count(*) from marts.indicator_values "
                    "where indicator_code like 'LM\\_%' or indicator_code like 'LC\\_%' group by 1"
                )
            ).all()
        )
        city = conn.execute(
            sa.text(
                "select indicator_code, value, numerator, denominator from marts.indicator_values "
                "where admin_level = 'province' and admin_unit_code = '79' and indicator_code = 'LM_FAMILY' "
                "and admin_structure = 'pre_2025' and period = '2024'"
            )
        ).one()
        codes = set(
            conn.execute(sa.text("select distinct indicator_code from marts.indicator_values")).scalars()
        )
    assert {"ward", "district", "province"} <= set(levels)
    assert {"LM_FAMILY", "LM_CLAN", "LM_COMMUNITY", "LM_UNIT", "LC_WORKERS", "LC_OFFICIALS"} <= codes
    assert 0 < float(city.value) <= 100
    assert round(float(city.numerator) * 100 / float(city.denominator), 2) == float(city.value)


def test_outputs_written(first_run):
    out = first_run["output"]
    xlsx = out / "reports" / "learning_city_report_latest.xlsx"
    assert xlsx.exists() and xlsx.stat().st_size > 0
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True)
    assert any(
        name.startswith("rpt_learning_society") or "learning" in name.lower() for name in wb.sheetnames
    )
    assert (out / "quality" / "latest.html").exists()
    assert (out / "data_docs" / "index.html").exists()


def test_quality_report_shows_the_quarantined_rows_in_a_browser(first_run, engine, tmp_path):
    """The auditor's report of the run, rendered by headless Chromium: the sample's deliberately bad rows
    are listed with their file and row number, and the report says the gate passed."""
    report = first_run["output"] / "quality" / "latest.html"
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but /usr/bin/chromium is missing: apt-get install -y chromium")
        pytest.skip("/usr/bin/chromium is not installed (apt-get install -y chromium); CI is not set")
    with engine.connect() as conn:  # the DAG's run (other tests share the database)
        run_id = conn.execute(
            sa.text("select run_id from audit.run_log where step = 'finish' order by log_id desc limit 1")
        ).scalar()
        bad = conn.execute(
            sa.text(
                "select m.source, m.file_name, q.row_number, q.errors -> 0 ->> 'rule' as rule"
                " from audit.quarantine q join audit.load_manifest m using (file_id) where q.run_id = :r"
                " order by m.source, q.file_id, q.row_number"
            ),
            {"r": run_id},
        ).all()
    assert bad
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
    flags += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    dom = subprocess.run(
        [str(CHROMIUM), *flags, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", report.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert "Quality gate: passed" in html
    shown = 0
    for source in sorted({r.source for r in bad}):
        first = next(r for r in bad if r.source == source)  # the report lists the first rows of each source
        row = f">{first.row_number:,}</td>".replace(",", ".")  # numbers as the report writes them: 3.556
        assert first.file_name in html and row in html and first.rule in html, (source, first)
        shown += 1
    assert shown >= 5
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "demo_quality_report.png"
    subprocess.run(
        [
            str(CHROMIUM),
            *flags,
            f"--user-data-dir={tmp_path / 'shot'}",
            f"--screenshot={shot}",
            "--window-size=1400,3000",
            report.as_uri(),
        ],
        capture_output=True,
        timeout=120,
    )
    assert shot.exists() and shot.stat().st_size > 10_000


def test_second_run_is_a_noop_for_indicators(first_run, engine):
    with engine.connect() as conn:
        before = _indicator_snapshot(conn)
        files_before = conn.execute(sa.text("select count(*) from audit.load_manifest")).scalar()
    proc = run_dag(first_run["url"], first_run["landing"], first_run["output"])
    assert proc.returncode == 0, proc.stdout[-3000:]
    with engine.connect() as conn:
        after = _indicator_snapshot(conn)
        files_after = conn.execute(sa.text("select count(*) from audit.load_manifest")).scalar()
    assert after == before
    assert files_after == files_before, "already-loaded files must not be loaded again"
    with engine.connect() as conn:
        built = conn.execute(
            sa.text(
                "select message from audit.run_log where step = 'dbt_models' order by log_id desc limit 1"
            )
        ).scalar()
    assert built.startswith("nothing new"), "a night without new files rebuilds nothing"
