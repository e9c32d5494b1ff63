"""The steps of the nightly run, as plain functions: the Airflow DAG calls them, and so can an operator.

Order (see docs/architecture.md): start → discover → load (reference sources first, then the rest; one
transaction per file) → validate the batch (gate) → dbt build of staging/intermediate/marts → validate
the marts (gate) → dbt build of reporting (publication) → exports → data-quality report → finish.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from .config import REPO_ROOT, settings
from .sources import CONTRACTS, FAMILIES

log = logging.getLogger("ingestion.pipeline")

DAG_ID = "learning_city_nightly"
#: Sources other sources refer to: loaded first so that references can be checked.
REFERENCE_SOURCES = ("emis_schools", "library_register", "clc_register")
DATA_SUFFIXES = {".csv", ".xlsx", ".txt", ".tsv"}


def _engine(url: str | None = None) -> sa.Engine:
    from .warehouse import engine as default_engine

    return sa.create_engine(url) if url else default_engine()


def safe_run_id(run_id: str) -> str:
    """A run id usable in file names: Airflow's ``manual__2026-11-22T01:00:00+00:00`` → ``manual__20261122T010000``."""
    return re.sub(r"[^A-Za-z0-9_.-]", "", run_id.replace("+00:00", ""))


def log_step(
    run_id: str,
    step: str,
    status: str,
    message: str = "",
    details: dict | None = None,
    url: str | None = None,
) -> None:
    eng = _engine(url)
    with eng.begin() as conn:
        conn.execute(
            sa.text(
                "insert into audit.run_log (run_id, step, status, finished_at, message, details) "
                "values (:r, :s, :st, now(), :m, cast(:d as jsonb))"
            ),
            {"r": run_id, "s": step, "st": status, "m": message, "d": json.dumps(details or {}, default=str)},
        )


def start_run(run_id: str, landing_dir: str, full_refresh: bool, url: str | None = None) -> dict:
    """Create what the warehouse needs (idempotent) and record the run."""
    from .warehouse import bootstrap

    bootstrap(_engine(url))
    log_step(
        run_id,
        "start",
        "success",
        f"landing_dir={landing_dir}",
        {"landing_dir": landing_dir, "full_refresh": full_refresh},
        url,
    )
    return {"run_id": run_id, "landing_dir": landing_dir, "full_refresh": full_refresh}


def discover(landing_dir: str | Path, url: str | None = None) -> dict[str, list[dict[str, str]]]:
    """New files of the landing folder, split into reference sources and the rest.

    A file is new unless a file with the same source and checksum (sha256) was loaded before, whatever
    its name. Files in an unknown subfolder are reported, never loaded or touched.
    """
    from .loader import sha256_of

    root = Path(landing_dir)
    if not root.is_dir():
        raise FileNotFoundError(f"landing folder {root} does not exist")
    eng = _engine(url)
    with eng.connect() as conn:
        rows = conn.execute(
            sa.text("select source, sha256 from audit.load_manifest where status = 'loaded'")
        ).all()
    seen_sha = {(r.source, r.sha256) for r in rows}
    found: dict[str, list[dict[str, str]]] = {"reference": [], "facts": []}
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if folder.name not in CONTRACTS:
            log.warning("landing subfolder %s is not a known source; its files are ignored", folder)
            continue
        for path in sorted(folder.rglob("*")):
            if (
                not path.is_file()
                or path.name.startswith((".", "~$"))
                or path.suffix.lower() not in DATA_SUFFIXES
            ):
                continue
            if (folder.name, sha256_of(path)) in seen_sha:
                continue
            group = "reference" if folder.name in REFERENCE_SOURCES else "facts"
            found[group].append({"source": folder.name, "path": str(path.resolve())})
    log.info("discovered %d reference and %d other new files", len(found["reference"]), len(found["facts"]))
    return found


def load_one(file: dict[str, str], run_id: str, url: str | None = None) -> dict:
    """Load one file (one transaction); returns its manifest row as a JSON-able dict."""
    from .loader import load_file

    row = load_file(file["source"], Path(file["path"]), run_id=run_id, engine=_engine(url))
    return json.loads(json.dumps(row, default=str))


def sources_with_new_files(after_file_id: int, url: str | None = None) -> list[str]:
    """The sources whose loaded files came after ``after_file_id`` in audit.load_manifest (with rows)."""
    with _engine(url).connect() as conn:
        sources = conn.execute(
            sa.text(
                "select distinct source from audit.load_manifest where status = 'loaded'"
                " and rows_loaded > 0 and file_id > :f order by source"
            ),
            {"f": after_file_id},
        ).scalars()
        return [s for s in sources if s in CONTRACTS]


def analyze(sources: list[str], url: str | None = None) -> list[str]:
    """``analyze`` the raw tables of these sources, and the audit tables dbt reads.

    Autovacuum gets to freshly loaded tables only after a while; planned without statistics, the
    staging and mart queries of the same night pick nested loops over millions of rows.
    """
    tables = [CONTRACTS[s].table for s in sources] + ["audit.load_manifest", "audit.quarantine"]
    with _engine(url).begin() as conn:
        for table in tables:
            conn.execute(sa.text(f"analyze {table}"))
    return tables


def _source_selector(source: str) -> str:
    """dbt's selector of a raw table and everything downstream: ``source:library.library_loans+`` (the
    dbt source group is the name of the contract's module)."""
    return f"source:{FAMILIES[source]}.{source}+"


def project_fingerprint() -> str:
    """sha256 of every file of the dbt project that decides what it builds (models, macros, seeds, tests,
    configuration) and of the dbt version: a new release of the project changes it."""
    from importlib.metadata import version

    root = settings().dbt_project_dir
    digest = hashlib.sha256(f"dbt-core {version('dbt-core')}\n".encode())
    skip = {"target", "logs", "dbt_packages"}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root)
        if rel.parts[0] in skip or rel.name.startswith("."):
            continue
        digest.update(f"{rel.as_posix()}\n".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _saved_state(url: str | None) -> tuple[int, str] | None:
    with _engine(url).connect() as conn:
        row = conn.execute(
            sa.text("select max_file_id, project_fingerprint from audit.dbt_state where state_id = 1")
        ).first()
    return (int(row.max_file_id), row.project_fingerprint) if row else None


def _save_state(run_id: str, max_file_id: int, fingerprint: str, url: str | None) -> None:
    with _engine(url).begin() as conn:
        conn.execute(
            sa.text(
                "insert into audit.dbt_state (state_id, run_id, max_file_id, project_fingerprint)"
                " values (1, :r, :f, :p) on conflict (state_id) do update set run_id = excluded.run_id,"
                " saved_at = now(), max_file_id = excluded.max_file_id,"
                " project_fingerprint = excluded.project_fingerprint"
            ),
            {"r": run_id, "f": max_file_id, "p": fingerprint},
        )


def models_selection(
    state: tuple[int, str] | None, fingerprint: str, full_refresh: bool, sources: list[str]
) -> list[str] | None:
    """What the nightly ``dbt build`` of the models selects: ``None`` for everything (the first build on
    this warehouse, a new version of the dbt project, or full_refresh), else everything downstream of the
    raw tables that received files since the last successful build (``sources``) — possibly nothing.
    The cost of a night then follows its new data, not the history."""
    if state is None or full_refresh or state[1] != fingerprint:
        return None
    return [_source_selector(s) for s in sources]


def dbt_build(run_id: str, stage: str, full_refresh: bool = False, url: str | None = None) -> dict:
    """``dbt build`` of one stage: ``models`` (seeds, staging, intermediate, marts) or ``reporting``.

    The models stage builds only what changed since the last successful build (see
    :func:`models_selection`), then records what it covered in ``audit.dbt_state`` — in the warehouse, so
    that any machine running the DAG against it makes the same decision.
    """
    from .dbt_runner import run_dbt

    if stage not in ("models", "reporting"):
        raise ValueError(f"unknown dbt stage {stage!r}")
    # dbt's unit tests check the SQL of the formulas, not the night's data: `make test` and CI run them
    args = ["build", "--exclude-resource-type", "unit_test"]
    details: dict = {"stage": stage, "mode": "full"}
    started = time.monotonic()
    if stage == "models":
        with _engine(url).connect() as conn:
            max_file_id = int(
                conn.execute(sa.text("select coalesce(max(file_id), 0) from audit.load_manifest")).scalar()
            )
        state = _saved_state(url)
        sources = sources_with_new_files(state[0] if state else 0, url)
        analyze(sources, url)
        fingerprint = project_fingerprint()
        selection = models_selection(state, fingerprint, full_refresh, sources)
        args += ["--exclude", "path:models/reporting"]
        if selection is not None:
            details.update(mode="changed", selection=selection)
            if not selection:
                log.info(
                    "no file loaded since the last build and the dbt project is unchanged: nothing to build"
                )
                log_step(run_id, "dbt_models", "success", "nothing new (changed)", details, url=url)
                return details
            args += ["--select", *selection]
    else:
        args += ["--select", "path:models/reporting"]
    if full_refresh:
        args.append("--full-refresh")
    proc = run_dbt(args, url)
    unmatched = [line for line in proc.stdout.splitlines() if "does not match any enabled nodes" in line]
    if unmatched:
        # never record as built what the selection missed: the next night would skip those files
        raise RuntimeError(f"dbt selection did not match the project: {' '.join(unmatched)}")
    if stage == "models":
        _save_state(run_id, max_file_id, fingerprint, url)
    seconds = time.monotonic() - started
    log_step(run_id, f"dbt_{stage}", "success", f"{seconds:.1f}s ({details['mode']})", details, url=url)
    return details


def export(run_id: str, url: str | None = None) -> dict:
    from .export import export_reports

    out = settings().output_dir / "reports"
    result = export_reports(_engine(url), out, safe_run_id(run_id))
    log_step(run_id, "export", "success", details=result, url=url)
    return json.loads(json.dumps(result, default=str))


def dbt_docs(url: str | None = None, run_id: str | None = None) -> Path:
    """Generate the dbt docs site (static single file) into ``<output>/dbt_docs``.

    Given the run, only when that run built every model (a new project version, full_refresh) or the
    site is missing: the docs describe the project, which a nightly run of changed sources leaves as is.
    """
    from .dbt_runner import run_dbt

    site = settings().output_dir / "dbt_docs" / "static_index.html"
    if run_id is not None and site.exists():
        with _engine(url).connect() as conn:
            modes = (
                conn.execute(
                    sa.text(
                        "select details ->> 'mode' from audit.run_log where run_id = :r and step = 'dbt_models'"
                    ),
                    {"r": run_id},
                )
                .scalars()
                .all()
            )
        if modes and "full" not in modes:
            log.info("dbt docs left as they are: the run built only changed models (%s)", site)
            return site
    run_dbt(["docs", "generate", "--static"], url)
    target = settings().dbt_project_dir / "target"
    out = settings().output_dir / "dbt_docs"
    out.mkdir(parents=True, exist_ok=True)
    for name in ("static_index.html", "index.html", "manifest.json", "catalog.json"):
        if (target / name).exists():
            shutil.copy2(target / name, out / name)
    return out / "static_index.html"


def finish_run(run_id: str, upstream_states: dict[str, str], url: str | None = None) -> str:
    failed = sorted(k for k, v in upstream_states.items() if v not in ("success", "skipped"))
    status = "failed" if failed else "success"
    log_step(run_id, "finish", status, ", ".join(failed), {"states": upstream_states}, url)
    return status


# -- operator commands ------------------------------------------------------------------------------
def run_dag(landing_dir: Path, full_refresh: bool = False) -> int:
    """Run the nightly DAG in-process with ``airflow dags test`` and print where its outputs are."""
    landing_dir = landing_dir.resolve()
    conf = json.dumps({"landing_dir": str(landing_dir), "full_refresh": full_refresh})
    logs = settings().local_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    log_file = logs / f"dags-test-{datetime.now(UTC):%Y%m%dT%H%M%S}.log"
    airflow = str(Path(sys.executable).with_name("airflow"))
    print(f"Running the {DAG_ID} DAG on {landing_dir} (airflow dags test; log: {log_file}) ...", flush=True)
    started = time.monotonic()
    with log_file.open("w") as fh:
        proc = subprocess.run(
            [airflow, "dags", "test", DAG_ID, "-c", conf],
            stdout=fh,
            stderr=subprocess.STDOUT,
            cwd=REPO_ROOT,
            env=os.environ.copy(),
        )
    elapsed = time.monotonic() - started
    status = last_run_status()
    ok = proc.returncode == 0 and status == "success"
    print(f"DAG run finished in {elapsed:.0f}s: {status or 'unknown'} (airflow exit code {proc.returncode})")
    print_summary()
    if not ok:
        print(f"The run did not succeed: see {log_file} and the data-quality report.", file=sys.stderr)
    return 0 if ok else 1


def last_run_status(url: str | None = None) -> str | None:
    with _engine(url).connect() as conn:
        return conn.execute(
            sa.text("select status from audit.run_log where step = 'finish' order by log_id desc limit 1")
        ).scalar()


def print_summary(url: str | None = None) -> None:
    from .warehouse import warehouse_url

    out = settings().output_dir
    eng = _engine(url)
    with eng.connect() as conn:
        manifest = conn.execute(
            sa.text(
                "select status, count(*) files, coalesce(sum(rows_in),0) rows_in, coalesce(sum(rows_loaded),0) loaded,"
                " coalesce(sum(rows_quarantined),0) quarantined from audit.load_manifest group by status order by status"
            )
        ).all()
        has_marts = conn.execute(sa.text("select to_regclass('marts.indicator_values') is not null")).scalar()
        levels = (
            conn.execute(
                sa.text("select admin_level, count(*) from marts.indicator_values group by 1 order by 1")
            ).all()
            if has_marts
            else []
        )
    latest_xlsx = out / "reports" / "learning_city_report_latest.xlsx"
    print("\nFiles in audit.load_manifest:")
    for r in manifest:
        print(
            f"  {r.status:<10} {r.files:>4} files  rows in {r.rows_in:>10,}  loaded {r.loaded:>10,}  "
            f"quarantined {r.quarantined:>6,}"
        )
    if levels:
        print("marts.indicator_values rows by level: " + ", ".join(f"{lvl} {n:,}" for lvl, n in levels))
    print("\nOutputs:")
    print(f"  Reporting workbook (XLSX):  {latest_xlsx}")
    print(f"  CSV exports:                {out / 'reports' / 'csv'}")
    print(f"  Data-quality report (HTML): {out / 'quality' / 'latest.html'}")
    print(f"  Great Expectations docs:    {out / 'data_docs' / 'index.html'}")
    print(f"  dbt docs:                   {out / 'dbt_docs' / 'static_index.html'}")
    print("\nQuery the marts:")
    print('  eval "$(make -s env)"; psql "$(python -m ingestion warehouse url | sed s/+psycopg2//)"')
    print(
        f"  (URL: {sa.make_url(url or warehouse_url()).render_as_string(hide_password=True).replace('+psycopg2', '')})"
    )
    print("  e.g. select * from marts.indicator_values where admin_level = 'province';")


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    parser = argparse.ArgumentParser(prog="python -m ingestion.pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run-dag", help="run the nightly DAG with `airflow dags test` and print the outputs")
    p.add_argument("--landing-dir", type=Path, default=settings().landing_dir)
    p.add_argument("--full-refresh", action="store_true")
    sub.add_parser("summary", help="print where the outputs are and what the warehouse holds")
    sub.add_parser("dbt-docs", help="build the dbt docs site into output/dbt_docs")
    args = parser.parse_args(argv)
    if args.cmd == "run-dag":
        return run_dag(args.landing_dir, args.full_refresh)
    if args.cmd == "summary":
        print_summary()
        return 0
    print(dbt_docs())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
